import { loginsTotal } from '../../metrics/metrics-registry.js';
import type { ImapAccount } from '../imap-backend.js';
import { no, ok, type CommandContext, type CommandResult } from '../imap-command.js';

/** Authenticates through the backend and moves the session to the authenticated state. */
export async function login(ctx: CommandContext, username: string, password: string): Promise<CommandResult> {
  if (!ctx.session.secure && ctx.capabilities().includes('LOGINDISABLED')) {
    return no('Log in only after STARTTLS', 'PRIVACYREQUIRED');
  }
  const result = await ctx.backend.authenticate(username, password, ctx.session.remoteAddress);
  loginsTotal.inc({ protocol: 'imap', outcome: result.ok ? 'ok' : result.reason });
  if (!result.ok) {
    if (result.reason === 'locked') return no('Too many failed logins; try again later', 'UNAVAILABLE');
    if (result.reason === 'disabled') return no('Account disabled', 'AUTHORIZATIONFAILED');
    return no('Invalid user name or password', 'AUTHENTICATIONFAILED');
  }
  startSession(ctx, result.account);
  return ok(`${username} authenticated`, `CAPABILITY ${ctx.capabilities().join(' ')}`);
}

function startSession(ctx: CommandContext, account: ImapAccount): void {
  const session = ctx.session;
  session.account = account;
  session.state = 'authenticated';
  ctx.loggedIn();
  // One subscription per session; events for the selected mailbox are queued there until reportable.
  session.unsubscribe = ctx.backend.subscribe(account.id, {
    added: (event) => {
      if (session.selected?.mailboxId === event.mailboxId) session.selected.added(event);
    },
    flags: (event) => {
      if (session.selected?.mailboxId === event.mailboxId) session.selected.flags(event);
    },
    expunged: (event) => {
      if (session.selected?.mailboxId === event.mailboxId) session.selected.expunged(event);
    },
    // Another session deleted the selected mailbox: its messages are gone for this client too.
    mailbox: (event) => {
      if (event.change === 'deleted' && session.selected?.mailboxId === event.mailboxId) session.selected.vanishAll();
    },
    // The app password this session logged in with was revoked: the session ends with it (RFC 9051 §7.1.5 BYE).
    revoked: (event) => {
      if (account.credentialId === null || account.credentialId !== event.credentialId) return;
      ctx.log.info({ user: account.address }, 'IMAP session ended: its app password was revoked');
      ctx.untaggedText('BYE Credentials revoked');
      void ctx.close();
    },
    resync: () => session.selected?.resync(),
  });
  ctx.log.info({ user: account.address }, 'IMAP login');
}
