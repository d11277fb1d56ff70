// AUTH PLAIN AGFubkBleGFtcGxlLmNvbQBzZWNyZXQ=  |  AUTH PLAIN → "+ " → base64 line  |  AUTH → mechanism list
import { defineCommand, mechanismArg, plaintextAllowed, type Pop3Context } from '../pop3-command.js';
import { login } from '../pop3-login.js';
import { err, ok, type Pop3Reply } from '../pop3-reply.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const authCommand = defineCommand({
  verb: 'AUTH',
  states: ['AUTHORIZATION'],
  args: mechanismArg,
  run: (context, { mechanism, initial }) => {
    // Without a mechanism, list them (RFC 1734 practice, which Outlook still relies on).
    if (mechanism === null) return ok('mechanisms follow', { lines: plaintextAllowed(context) ? ['PLAIN'] : [] });
    if (mechanism !== 'PLAIN') return err(`mechanism ${mechanism.slice(0, 20)} is not supported, use PLAIN`);
    if (!plaintextAllowed(context)) return err('plaintext authentication is not allowed without TLS, use STLS first', 'AUTH');
    // RFC 5034 §4: "=" is an empty initial response; no argument means the client waits for a challenge.
    if (initial !== null) return plain(context, initial === '=' ? '' : initial);
    return { kind: 'challenge', text: '', next: (line: string) => plain(context, line) };
  },
});

async function plain(context: Pop3Context, response: string): Promise<Pop3Reply> {
  // RFC 5034 §4: "*" cancels the exchange.
  if (response === '*') return err('authentication cancelled');
  if (!BASE64.test(response)) return err('invalid base64 in the SASL response');
  // RFC 4616 §2: [authzid] NUL authcid NUL passwd
  const parts = Buffer.from(response, 'base64').toString('utf8').split('\0');
  if (parts.length !== 3 || parts[1] === '' || parts[2] === '') return err('malformed PLAIN response', 'AUTH');
  const [authzid, username, password] = parts;
  if (authzid !== '' && authzid.toLowerCase() !== username.toLowerCase()) return err('acting as another user is not allowed', 'AUTH');
  return login(context, username, password);
}
