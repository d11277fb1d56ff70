import type { MessagePage, MessageSort, MessageSummary } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import type { MailboxRow } from '../logic/mailbox-tree.js';
import { folderLabel } from './folder-tree.js';

interface Props {
  mailboxes: MailboxRow[];
  currentId: string | null;
  rows: MessageSummary[];
  selection: ReadonlySet<string>;
  page: MessagePage | null;
  pageIndex: number;
  pageSize: number;
  sort: MessageSort;
  query: string;
  isTrash: boolean;
  onSelectAll: (all: boolean) => void;
  onSeen: (seen: boolean) => void;
  onFlag: () => void;
  onMove: (mailboxId: string) => void;
  onDelete: () => void;
  onRefresh: () => void;
  onSort: (sort: MessageSort) => void;
  onClearSearch: () => void;
  onNewer: () => void;
  onOlder: () => void;
}

/** Bulk actions on the selection, sort, and paging of the message list. */
export function ListToolbar(props: Props) {
  const { t } = useI18n();
  const { rows, selection, page, pageIndex, pageSize } = props;
  const allSelected = rows.length > 0 && rows.every((row) => selection.has(row.id));
  const total = page?.totalCount ?? 0;
  const first = total === 0 ? 0 : pageIndex * pageSize + 1;
  const last = pageIndex * pageSize + rows.length;
  const disabled = selection.size === 0;
  return (
    <div className="list-toolbar">
      <div className="toolbar-row">
        <input
          type="checkbox"
          aria-label={t('selectAll')}
          checked={allSelected}
          onChange={(event) => props.onSelectAll(event.target.checked)}
        />
        <button type="button" className="icon" title={t('refresh')} aria-label={t('refresh')} onClick={props.onRefresh}>
          ⟳
        </button>
        <button type="button" disabled={disabled} onClick={() => props.onSeen(true)}>
          {t('markRead')}
        </button>
        <button type="button" disabled={disabled} onClick={() => props.onSeen(false)}>
          {t('markUnread')}
        </button>
        <button type="button" disabled={disabled} onClick={props.onFlag}>
          {t('flag')}
        </button>
        <select
          aria-label={t('moveTo')}
          disabled={disabled}
          value=""
          onChange={(event) => {
            if (event.target.value) props.onMove(event.target.value);
          }}
        >
          <option value="">{t('moveTo')}</option>
          {props.mailboxes
            .filter((row) => row.mailbox.id !== props.currentId)
            .map((row) => (
              <option key={row.mailbox.id} value={row.mailbox.id}>
                {'\u00a0'.repeat(row.depth * 2)}
                {folderLabel(row, t)}
              </option>
            ))}
        </select>
        <button type="button" className="danger" disabled={disabled} onClick={props.onDelete}>
          {props.isTrash ? t('deleteForever') : t('delete')}
        </button>
      </div>
      <div className="toolbar-row secondary">
        {props.query ? (
          <span className="search-state">
            “{props.query}”{' '}
            <button type="button" className="link-button" onClick={props.onClearSearch}>
              {t('clearSearch')}
            </button>
          </span>
        ) : (
          <select aria-label={t('sort')} value={props.sort} onChange={(event) => props.onSort(event.target.value as MessageSort)}>
            <option value="DATE_DESC">{t('sortNewest')}</option>
            <option value="DATE_ASC">{t('sortOldest')}</option>
          </select>
        )}
        {selection.size > 0 && <span className="selected-count">{t('selected', { count: selection.size })}</span>}
        <span className="pager">
          <span className="range">{t('pageRange', { from: first, to: last, total })}</span>
          <button
            type="button"
            className="icon"
            aria-label={t('previousPage')}
            title={t('previousPage')}
            disabled={pageIndex === 0}
            onClick={props.onNewer}
          >
            ‹
          </button>
          <button
            type="button"
            className="icon"
            aria-label={t('nextPage')}
            title={t('nextPage')}
            disabled={!page?.pageInfo.hasNextPage}
            onClick={props.onOlder}
          >
            ›
          </button>
        </span>
      </div>
    </div>
  );
}
