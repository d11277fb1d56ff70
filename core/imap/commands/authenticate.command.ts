// A1 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==   (SASL-IR, RFC 4959)   or   A1 AUTHENTICATE PLAIN  →  +
import { bad, defineCommand, no } from '../imap-command.js';
import { login } from './login-session.js';

export const authenticateCommand = defineCommand({
  verbs: ['AUTHENTICATE'],
  states: ['not-authenticated'],
  parse(args) {
    const mechanism = args.atom('mechanism').toUpperCase();
    const initial = args.remaining > 0 ? args.atom('initial response') : null;
    args.end();
    return { mechanism, initial };
  },
  async run(ctx, { mechanism, initial }) {
    if (mechanism !== 'PLAIN') return no(`Mechanism ${mechanism.slice(0, 20)} is not supported`, 'CANNOT');
    // RFC 3501 §6.2.2: no credentials in the clear when the server requires TLS first.
    if (!ctx.session.secure && ctx.capabilities().includes('LOGINDISABLED'))
      return no('Authenticate only after STARTTLS', 'PRIVACYREQUIRED');
    let response = initial;
    if (response === null) {
      ctx.continuation('');
      const frame = await ctx.readFrame();
      if (frame.kind !== 'command') return bad('Authentication aborted');
      response = frame.bytes.toString('latin1').replace(/\r?\n$/, '');
    }
    // RFC 4954 §4 / RFC 3501 §6.2.2: "*" cancels; "=" is an empty initial response.
    if (response === '*') return bad('Authentication cancelled');
    if (response === '=') response = '';
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(response)) return bad('Invalid base64 in authentication response');
    const fields = Buffer.from(response, 'base64').toString('utf8').split('\0');
    if (fields.length !== 3) return bad('Malformed PLAIN response');
    const [authzid, username, password] = fields;
    if (authzid !== '' && authzid.toLowerCase() !== username.toLowerCase()) {
      return no('Acting as another user is not allowed', 'AUTHORIZATIONFAILED');
    }
    return login(ctx, username, password);
  },
});
