import type { Logger } from 'pino';
import type { LocalRecipient } from '../mail/delivery.types.js';
import { NO_ENVELOPE_DSN, type EnvelopeDsn, type RecipientDsn } from '../envelope/dsn-params.js';
import type { Principal } from '../accounts/principal.js';

/** Port 25 takes mail for hosted domains; 587/465 take mail from authenticated users to anywhere. */
export type ListenerKind = 'mx' | 'submission';

export type { LocalRecipient };

/** What Mailhive keeps per SMTP connection beside smtp-server's own session. */
export interface SmtpSessionState {
  id: string;
  kind: ListenerKind;
  remoteAddress: string;
  log: Logger;
  account: Principal | null;
  badCommands: number;
  /** The EHLO name the smtp.ehlo hook has seen, so it runs once per EHLO. */
  heloChecked: string | null;
  /** Current transaction: envelope sender ('' = null sender) and resolved recipients. */
  sender: string;
  local: Map<number, LocalRecipient>;
  remote: Set<string>;
  /** Largest message the accepted recipients can take (quota), for SIZE= at MAIL and the cap in DATA. */
  declaredSize: number;
  /** RFC 3461 parameters of MAIL FROM, and of RCPT TO keyed by each final recipient address it resolved to. */
  dsn: EnvelopeDsn;
  recipientDsn: Map<string, RecipientDsn>;
}

export function resetTransaction(state: SmtpSessionState, sender: string, declaredSize: number, dsn = NO_ENVELOPE_DSN): void {
  state.sender = sender;
  state.dsn = dsn;
  state.recipientDsn = new Map();
  state.local = new Map();
  state.remote = new Set();
  state.declaredSize = declaredSize;
}
