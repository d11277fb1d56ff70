import { useState } from 'react';
import type { MessageDetail, MessageSummary } from '../api/types.js';
import { downloadAttachment } from '../api/attachments-http.js';
import { emlName } from '../logic/message-files.js';
import { OriginalDialog, rawUrl } from './original-dialog.js';
import { useI18n } from '../i18n/i18n.js';
import { formatAddressList } from '../logic/addresses.js';
import { formatFullDate, formatSize } from '../logic/format.js';
import { isInlineImage } from '../logic/inline-images.js';
import { hasBlockedRemoteImages } from '../logic/message-document.js';
import type { ComposeMode } from '../logic/reply.js';
import { Icon } from './icon.js';
import { MessageFrame } from './message-frame.js';

type OpenMessage =
  | { state: 'none' }
  | { state: 'loading'; id: string }
  | { state: 'missing'; id: string }
  | { state: 'shown'; message: MessageDetail; remoteImages: boolean };

interface Props {
  open: OpenMessage;
  isTrash: boolean;
  isDrafts: boolean;
  onBack: () => void;
  onReply: (mode: ComposeMode) => void;
  onDelete: () => void;
  onToggleFlag: () => void;
  onMarkUnread: () => void;
  onShowImages: (id: string) => void;
  /** The other messages of the open one's conversation (conversation view), newest first. */
  conversation?: readonly MessageSummary[];
  onOpenMessage?: (id: string) => void;
}

export function ReadingPane({
  open,
  isTrash,
  isDrafts,
  onBack,
  onReply,
  onDelete,
  onToggleFlag,
  onMarkUnread,
  onShowImages,
  conversation = [],
  onOpenMessage,
}: Props) {
  const { t, language } = useI18n();
  const [original, setOriginal] = useState<string | null>(null);
  if (open.state === 'none')
    return (
      <p className="pane-empty">
        {t('selectMessage')}
        <br />
        <small>{t('showShortcuts')}</small>
      </p>
    );
  if (open.state === 'loading') return <p className="pane-empty">{t('loading')}</p>;
  if (open.state === 'missing')
    return (
      <p className="pane-empty">
        <button type="button" className="back" onClick={onBack}>
          ‹ {t('back')}
        </button>
        <br />
        {t('messageGone')}
      </p>
    );
  const { message, remoteImages } = open;
  const inline = new Set(
    message.attachments.filter((attachment) => isInlineImage(attachment, message.html)).map((attachment) => attachment.id),
  );
  const listed = message.attachments.filter((attachment) => !inline.has(attachment.id));
  return (
    <article className="message" aria-labelledby="message-subject">
      <div className="message-actions">
        <button type="button" className="back" onClick={onBack}>
          ‹ {t('back')}
        </button>
        {isDrafts && (
          <button type="button" className="primary" onClick={() => onReply('draft')}>
            {t('editDraft')}
          </button>
        )}
        <button type="button" onClick={() => onReply('reply')}>
          ↩ {t('reply')}
        </button>
        <button type="button" onClick={() => onReply('replyAll')}>
          ⇇ {t('replyAll')}
        </button>
        <button type="button" onClick={() => onReply('forward')}>
          ↪ {t('forward')}
        </button>
        <button type="button" aria-pressed={message.flagged} onClick={onToggleFlag}>
          {message.flagged ? `★ ${t('unflag')}` : `☆ ${t('flag')}`}
        </button>
        <button type="button" onClick={onMarkUnread}>
          {t('markUnread')}
        </button>
        <button type="button" className="danger" onClick={onDelete}>
          {isTrash ? t('deleteForever') : t('delete')}
        </button>
        <button type="button" className="show-original" onClick={() => setOriginal(message.id)}>
          {t('showOriginal')}
        </button>
        <button
          type="button"
          className="download-eml"
          onClick={() => void downloadAttachment(rawUrl(message.id), emlName(message.subject))}
        >
          {t('downloadEml')}
        </button>
        <button type="button" className="print" onClick={() => window.print()}>
          {t('print')}
        </button>
      </div>
      {original === message.id && <OriginalDialog messageId={message.id} subject={message.subject} onClose={() => setOriginal(null)} />}
      <h2 id="message-subject">{message.subject || t('noSubject')}</h2>
      <dl className="headers">
        <dt>{t('from')}</dt>
        <dd className="from">{message.from ? formatAddressList([message.from]) : ''}</dd>
        {message.to.length > 0 && (
          <>
            <dt>{t('to')}</dt>
            <dd>{formatAddressList(message.to)}</dd>
          </>
        )}
        {message.cc.length > 0 && (
          <>
            <dt>{t('cc')}</dt>
            <dd>{formatAddressList(message.cc)}</dd>
          </>
        )}
        <dt>{t('date')}</dt>
        <dd>
          <time dateTime={message.date}>{formatFullDate(message.date, language)}</time>
        </dd>
      </dl>
      {!remoteImages && hasBlockedRemoteImages(message.html) && (
        <p className="remote-images" role="note">
          {t('remoteImagesBlocked')}{' '}
          <button type="button" className="link-button" onClick={() => onShowImages(message.id)}>
            {t('showImages')}
          </button>
        </p>
      )}
      <MessageFrame key={`${message.id}:${remoteImages}`} message={message} allowRemoteImages={remoteImages} />
      {conversation.length > 0 && (
        <section className="conversation" aria-label={t('inConversation')}>
          <h3>{t('inConversation')}</h3>
          <ul>
            {conversation.map((other) => (
              <li key={other.id}>
                <button type="button" className="link-button" onClick={() => onOpenMessage?.(other.id)}>
                  <span className="sender">{other.from ? formatAddressList([other.from]) : ''}</span> ·{' '}
                  <time dateTime={other.date}>{formatFullDate(other.date, language)}</time> · {other.subject || t('noSubject')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {listed.length > 0 && (
        <section className="attachments" aria-label={t('attachments')}>
          <h3>{t('attachments')}</h3>
          <ul>
            {listed.map((attachment) => (
              <li key={attachment.id}>
                <button
                  type="button"
                  className="attachment"
                  title={t('download')}
                  onClick={() => void downloadAttachment(attachment.url, attachment.filename ?? 'attachment')}
                >
                  <Icon name="attachment" size={14} /> <span className="filename">{attachment.filename ?? attachment.contentType}</span>{' '}
                  <span className="size">{formatSize(attachment.size)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
