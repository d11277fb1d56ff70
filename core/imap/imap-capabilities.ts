import type { ImapSession } from './session/imap-session.js';

/** CAPABILITY for the session's state (RFC 3501 §7.2.1); both revisions, since many clients refuse rev2 only. */
export function capabilities(
  session: ImapSession,
  options: { appendLimit: number; tlsAvailable: boolean; loginRequiresTls: boolean },
): string[] {
  const list = ['IMAP4rev1', 'IMAP4rev2', 'LITERAL+', 'SASL-IR', 'ID', 'ENABLE', 'IDLE', 'NAMESPACE'];
  if (session.state === 'not-authenticated') {
    if (!session.secure && options.tlsAvailable) list.push('STARTTLS');
    if (!session.secure && options.loginRequiresTls) list.push('LOGINDISABLED');
    else list.push('AUTH=PLAIN');
    return list;
  }
  list.push(
    'UNSELECT',
    'UIDPLUS',
    'MOVE',
    'CHILDREN',
    'SPECIAL-USE',
    'LIST-EXTENDED',
    'LIST-STATUS',
    'CONDSTORE',
    'QRESYNC',
    'QUOTA',
    'QUOTA=RES-STORAGE',
    'ESEARCH',
    'SEARCHRES',
    'STATUS=SIZE',
    `APPENDLIMIT=${options.appendLimit}`,
    'BINARY',
    'MULTIAPPEND',
    'UTF8=ACCEPT',
    'SORT',
    'SORT=DISPLAY',
    'THREAD=REFERENCES',
    'THREAD=ORDEREDSUBJECT',
    'COMPRESS=DEFLATE',
  );
  return list;
}
