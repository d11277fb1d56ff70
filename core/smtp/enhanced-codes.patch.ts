import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

const OWN_CODE = /^[245]\.\d{1,3}\.\d{1,3} /;
let applied = false;

/**
 * smtp-server derives the enhanced status code of an application's reply from the reply code alone, so relay
 * denial would read `554 5.6.0` and a forged sender `553 5.1.3`. A reply text that already starts with its own
 * RFC 3463 code (every SmtpReplyError does) is sent as is; everything else keeps smtp-server's mapping.
 */
export function applyEnhancedCodePatch(): void {
  if (applied) return;
  applied = true;
  const send = SMTPConnection.prototype.send;
  SMTPConnection.prototype.send = function patchedSend(this: SMTPConnection, code, data, context) {
    const own = context === undefined && typeof data === 'string' && OWN_CODE.test(data);
    return send.call(this, code, data, own ? false : context);
  };
}
