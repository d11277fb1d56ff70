import type { AuthService } from '../accounts/auth.service.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import type { RecipientResolver } from '../mail/recipient-resolver.service.js';
import type { DeliveryService } from '../mail/delivery.service.js';
import type { SubmissionService } from '../mail/submission.service.js';
import type { PluginHost } from '../plugin-host/plugin-host.service.js';
import type { InboundAuthService } from './inbound-auth.service.js';

/** The services every SMTP handler may call; handlers never reach the store themselves. */
export interface SmtpHandlerContext {
  config: MailhiveConfig;
  recipients: RecipientResolver;
  auth: AuthService;
  plugins: PluginHost;
  delivery: DeliveryService;
  inboundAuth: InboundAuthService;
  submission: SubmissionService;
  spoolDir: string;
}
