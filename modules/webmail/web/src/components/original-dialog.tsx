import { useEffect, useRef, useState } from 'react';
import { downloadAttachment, fetchAttachment } from '../api/attachments-http.js';
import { useI18n } from '../i18n/i18n.js';
import { emlName } from '../logic/message-files.js';

/** Shown at most: a message of many megabytes would freeze the page as one text node. */
const SHOWN_BYTES = 1024 * 1024;

export const rawUrl = (messageId: string) => `/api/webmail/messages/${encodeURIComponent(messageId)}/raw`;

/** "Show original": the message source as the server stores it, with a download of the whole .eml. */
export function OriginalDialog({ messageId, subject, onClose }: { messageId: string; subject: string; onClose: () => void }) {
  const { t } = useI18n();
  const [source, setSource] = useState<{ text: string; truncated: boolean } | { error: string } | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  useEffect(() => {
    let current = true;
    fetchAttachment(rawUrl(messageId))
      .then(async (blob) => ({ text: await blob.slice(0, SHOWN_BYTES).text(), truncated: blob.size > SHOWN_BYTES }))
      .then(
        (loaded) => current && setSource(loaded),
        (error: unknown) => current && setSource({ error: error instanceof Error ? error.message : String(error) }),
      );
    return () => {
      current = false;
    };
  }, [messageId]);
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        className="dialog original-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="original-title"
        onClick={(event) => event.stopPropagation()}
        onKeyDown={(event) => {
          // Escape closes the dialog only: the mail view's own Escape (back to the list) must not see it.
          if (event.key === 'Escape') {
            event.preventDefault();
            onClose();
          }
        }}
      >
        <h2 id="original-title">{t('showOriginal')}</h2>
        {source === null && <p className="notice">{t('loading')}</p>}
        {source && 'error' in source && (
          <p className="error" role="alert">
            {t('actionFailed', { reason: source.error })}
          </p>
        )}
        {source && 'text' in source && (
          <>
            {source.truncated && <p className="notice">{t('originalTruncated')}</p>}
            <pre className="original">{source.text}</pre>
          </>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={() => void downloadAttachment(rawUrl(messageId), emlName(subject))}>
            {t('downloadEml')}
          </button>
          <button ref={closeRef} type="button" onClick={onClose}>
            {t('close')}
          </button>
        </div>
      </div>
    </div>
  );
}
