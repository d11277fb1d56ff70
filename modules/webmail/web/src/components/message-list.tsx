import { useEffect, useRef } from 'react';
import type { MessageSummary } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { displayName } from '../logic/addresses.js';
import { formatListDate } from '../logic/format.js';
import { DRAG_TYPE } from './folder-tree.js';
import { Icon } from './icon.js';

interface Props {
  rows: MessageSummary[];
  loading: boolean;
  selection: ReadonlySet<string>;
  focus: number;
  openId: string | null;
  showRecipient: boolean;
  emptyText: string;
  onOpen: (id: string, index: number) => void;
  onToggleSelect: (id: string) => void;
  onToggleFlag: (id: string) => void;
  dragIds: (id: string) => string[];
  /** With conversations shown: how many messages of the page each shown row stands for. */
  conversationSizes?: ReadonlyMap<string, number>;
}

export function MessageList({
  rows,
  loading,
  selection,
  focus,
  openId,
  showRecipient,
  emptyText,
  onOpen,
  onToggleSelect,
  onToggleFlag,
  dragIds,
  conversationSizes,
}: Props) {
  const { t, language } = useI18n();
  const listRef = useRef<HTMLUListElement>(null);

  // Keep the keyboard cursor in view.
  useEffect(() => {
    listRef.current?.children[focus]?.scrollIntoView({ block: 'nearest' });
  }, [focus]);

  if (loading) return <p className="list-empty">{t('loading')}</p>;
  if (rows.length === 0) return <p className="list-empty">{emptyText}</p>;
  const now = new Date();
  return (
    <ul className="messages" ref={listRef} aria-label={t('messagesCount', { count: rows.length })}>
      {rows.map((row, index) => {
        const who = showRecipient ? row.to.map(displayName).join(', ') : displayName(row.from);
        const classes = [
          'message-row',
          row.seen ? 'read' : 'unread',
          index === focus ? 'cursor' : '',
          row.id === openId ? 'open' : '',
          selection.has(row.id) ? 'selected' : '',
        ]
          .filter(Boolean)
          .join(' ');
        return (
          <li
            key={row.id}
            className={classes}
            data-id={row.id}
            draggable
            onDragStart={(event) => {
              event.dataTransfer.setData(DRAG_TYPE, JSON.stringify(dragIds(row.id)));
              event.dataTransfer.effectAllowed = 'move';
            }}
          >
            <input type="checkbox" aria-label={t('select')} checked={selection.has(row.id)} onChange={() => onToggleSelect(row.id)} />
            <button
              type="button"
              className="open-message"
              onClick={() => onOpen(row.id, index)}
              aria-current={row.id === openId ? 'true' : undefined}
            >
              <span className="line1">
                <span className="sender">{showRecipient ? `${t('to')}: ${who}` : who}</span>
                {(conversationSizes?.get(row.id) ?? 1) > 1 && (
                  <span className="conversation-size" title={t('conversationSize', { count: conversationSizes?.get(row.id) ?? 1 })}>
                    {conversationSizes?.get(row.id)}
                  </span>
                )}
                <span className="marks">
                  {row.answered && (
                    <span title={t('answered')} aria-label={t('answered')}>
                      ↩
                    </span>
                  )}
                  {row.hasAttachments && (
                    <span className="attachment-mark" title={t('hasAttachment')} aria-label={t('hasAttachment')}>
                      <Icon name="attachment" size={13} />
                    </span>
                  )}
                </span>
                <time dateTime={row.date}>{formatListDate(row.date, language, now)}</time>
              </span>
              <span className="subject">
                {!row.seen && <span className="visually-hidden">{t('unread')}: </span>}
                {row.subject || t('noSubject')}
              </span>
              <span className="preview">{row.preview}</span>
            </button>
            <button
              type="button"
              className={`star${row.flagged ? ' on' : ''}`}
              aria-pressed={row.flagged}
              aria-label={row.flagged ? t('unflag') : t('flag')}
              title={row.flagged ? t('unflag') : t('flag')}
              onClick={() => onToggleFlag(row.id)}
            >
              {row.flagged ? '★' : '☆'}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
