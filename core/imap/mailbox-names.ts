import { decodeModifiedUtf7, encodeModifiedUtf7 } from './protocol/modified-utf7.js';

/**
 * Wire name → store path. Rev1 clients send modified UTF-7 (RFC 3501 §5.1.3), UTF-8 clients send UTF-8
 * (RFC 6855). Names that look like other namespaces (`#shared`, `~user`, `Other Users`) or walk the hierarchy
 * (`..`) are refused: a session only ever sees its own account's mailboxes, and must not be misled into
 * thinking it reached someone else's.
 */
export function decodeMailboxName(raw: Buffer, utf8: boolean): string | { invalid: string } {
  const text = raw.toString('utf8');
  if (text.includes('\uFFFD')) return { invalid: 'Mailbox name is not valid UTF-8' };
  let name = text;
  if (!utf8 && /&/.test(text)) {
    const decoded = decodeModifiedUtf7(text);
    // RFC 3501 §5.1.3 leaves room for names that are not valid modified UTF-7; keep them as sent.
    if (decoded !== null) name = decoded;
  }
  if (/^[#~]/.test(name)) return { invalid: 'No such namespace; only personal mailboxes exist' };
  if (name.split('/').some((level) => level === '..' || level === '.'))
    return { invalid: 'Mailbox names may not contain "." or ".." levels' };
  if (/^other users(\/|$)/i.test(name) || /^shared folders(\/|$)/i.test(name))
    return { invalid: 'No such namespace; only personal mailboxes exist' };
  return name;
}

export function encodeMailboxName(path: string, utf8: boolean): string {
  return utf8 ? path : encodeModifiedUtf7(path);
}
