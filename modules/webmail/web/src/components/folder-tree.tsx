import { useState, type DragEvent } from 'react';
import type { Mailbox } from '../api/types.js';
import { useI18n, type Translate } from '../i18n/i18n.js';
import type { MailboxRole, MailboxRow } from '../logic/mailbox-tree.js';
import { Icon, type IconName } from './icon.js';

export const DRAG_TYPE = 'application/x-mailhive-messages';

const ICONS: Record<MailboxRole, IconName> = {
  inbox: 'inbox',
  drafts: 'drafts',
  sent: 'sent',
  junk: 'junk',
  trash: 'trash',
  archive: 'archive',
  folder: 'folder',
};

/** Special folders at the top level show their name in the interface language. */
export function folderLabel(row: Pick<MailboxRow, 'mailbox' | 'role' | 'depth'>, t: Translate): string {
  return row.role !== 'folder' && row.depth === 0 ? t(row.role) : row.mailbox.name;
}

interface Props {
  rows: MailboxRow[];
  currentId: string | null;
  onSelect: (id: string) => void;
  onDropMessages: (ids: string[], mailboxId: string) => void;
  onCreate: () => void;
  onRename: (mailbox: Mailbox) => void;
  onDelete: (mailbox: Mailbox) => void;
  onMarkRead: (mailbox: Mailbox) => void;
  onEmptyTrash: (mailbox: Mailbox) => void;
}

export function FolderTree({ rows, currentId, onSelect, onDropMessages, onCreate, onRename, onDelete, onMarkRead, onEmptyTrash }: Props) {
  const { t } = useI18n();
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const current = rows.find((row) => row.mailbox.id === currentId);

  const drop = (event: DragEvent, mailboxId: string) => {
    event.preventDefault();
    setDropTarget(null);
    try {
      const ids = JSON.parse(event.dataTransfer.getData(DRAG_TYPE)) as string[];
      if (Array.isArray(ids) && ids.length > 0) onDropMessages(ids, mailboxId);
    } catch {
      // not a drag of messages
    }
  };

  return (
    <>
      <ul className="folders">
        {rows.map((row) => {
          const { mailbox } = row;
          const label = folderLabel(row, t);
          return (
            <li
              key={mailbox.id}
              className={dropTarget === mailbox.id ? 'drop-target' : undefined}
              onDragOver={(event) => {
                if (event.dataTransfer.types.includes(DRAG_TYPE)) {
                  event.preventDefault();
                  setDropTarget(mailbox.id);
                }
              }}
              onDragLeave={() => setDropTarget(null)}
              onDrop={(event) => drop(event, mailbox.id)}
            >
              <button
                type="button"
                className={`folder${mailbox.id === currentId ? ' current' : ''}${mailbox.unreadCount > 0 ? ' has-unread' : ''}`}
                style={{ paddingInlineStart: `${0.75 + row.depth * 1}rem` }}
                aria-current={mailbox.id === currentId ? 'page' : undefined}
                data-path={mailbox.path}
                onClick={() => onSelect(mailbox.id)}
              >
                <Icon name={ICONS[row.role]} />
                <span className="folder-name">{label}</span>
                {mailbox.unreadCount > 0 && (
                  <span className="count" aria-label={`${mailbox.unreadCount} ${t('unread')}`}>
                    {mailbox.unreadCount}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
      <div className="folder-actions">
        <button type="button" className="link-button" onClick={onCreate}>
          <Icon name="plus" size={14} /> {t('newFolder')}
        </button>
        {current && current.mailbox.unreadCount > 0 && (
          <button type="button" className="link-button" onClick={() => onMarkRead(current.mailbox)}>
            {t('markAllRead')}
          </button>
        )}
        {current?.role === 'trash' && current.mailbox.totalCount > 0 && (
          <button type="button" className="link-button" onClick={() => onEmptyTrash(current.mailbox)}>
            {t('emptyTrash')}
          </button>
        )}
        {current?.role === 'folder' && (
          <>
            <button type="button" className="link-button" onClick={() => onRename(current.mailbox)}>
              {t('renameFolder')}
            </button>
            <button type="button" className="link-button danger" onClick={() => onDelete(current.mailbox)}>
              {t('deleteFolder')}
            </button>
          </>
        )}
      </div>
    </>
  );
}
