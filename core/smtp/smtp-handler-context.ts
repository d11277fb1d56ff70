import type { AuthService } from '../accounts/auth.service.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import type { RecipientResolver } from '../mail/recipient-resolver.service.js';
import type { SendRateService } from '../mail/send-rate.service.js';
import type { PluginHost } from '../plugin-host/plugin-host.service.js';
import type { InboundAuthService } from './inbound-auth.service.js';
import type { SmtpDeliveryService } from './smtp-delivery.service.js';

/** The services every SMTP handler may call; handlers never reach the store themselves. */
export interface SmtpHandlerContext {
  config: MailhiveConfig;
  recipients: RecipientResolver;
  auth: AuthService;
  plugins: PluginHost;
  delivery: SmtpDeliveryService;
  inboundAuth: InboundAuthService;
  rate: SendRateService;
  spoolDir: string;
}
