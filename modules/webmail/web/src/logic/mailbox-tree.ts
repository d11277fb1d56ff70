import type { Mailbox } from '../api/types.js';

export type MailboxRole = 'inbox' | 'drafts' | 'sent' | 'junk' | 'trash' | 'archive' | 'folder';

const ROLE_BY_SPECIAL_USE: Record<string, MailboxRole> = {
  '\\Drafts': 'drafts',
  '\\Sent': 'sent',
  '\\Junk': 'junk',
  '\\Trash': 'trash',
  '\\Archive': 'archive',
};

/** Order of the special folders at the top of the tree; other folders follow by name. */
const ROLE_ORDER: MailboxRole[] = ['inbox', 'drafts', 'sent', 'archive', 'junk', 'trash', 'folder'];

export function mailboxRole(mailbox: Pick<Mailbox, 'path' | 'specialUse'>): MailboxRole {
  if (mailbox.path.toUpperCase() === 'INBOX') return 'inbox';
  return (mailbox.specialUse && ROLE_BY_SPECIAL_USE[mailbox.specialUse]) || 'folder';
}

export interface MailboxRow {
  mailbox: Mailbox;
  role: MailboxRole;
  depth: number;
}

/**
 * The folder tree flattened for display: top-level special folders first (Inbox, Drafts, Sent, Archive, Junk,
 * Trash), then the others by name; children right after their parent, by name. A folder whose parent is missing
 * from the list is shown at the top level rather than lost.
 */
export function mailboxRows(mailboxes: readonly Mailbox[], locale = 'en'): MailboxRow[] {
  const ids = new Set(mailboxes.map((mailbox) => mailbox.id));
  const children = new Map<string | null, Mailbox[]>();
  for (const mailbox of mailboxes) {
    const parent = mailbox.parentId && ids.has(mailbox.parentId) ? mailbox.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), mailbox]);
  }
  const compare = (a: Mailbox, b: Mailbox) =>
    ROLE_ORDER.indexOf(mailboxRole(a)) - ROLE_ORDER.indexOf(mailboxRole(b)) || a.name.localeCompare(b.name, locale);
  const rows: MailboxRow[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const mailbox of [...(children.get(parent) ?? [])].sort(compare)) {
      rows.push({ mailbox, role: mailboxRole(mailbox), depth });
      walk(mailbox.id, depth + 1);
    }
  };
  walk(null, 0);
  return rows;
}

export function findByRole(mailboxes: readonly Mailbox[], role: MailboxRole): Mailbox | undefined {
  return mailboxes.find((mailbox) => mailboxRole(mailbox) === role);
}
