import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchAttachment, uploadFile } from '../api/attachments-http.js';
import type { MailApi } from '../api/mail-api.js';
import type { EmailAddress, OutgoingMessage } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { parseAddressList } from '../logic/addresses.js';
import { formatSize } from '../logic/format.js';
import { textToHtml } from '../logic/message-document.js';
import type { ComposeDraft } from '../logic/reply.js';
import { Icon } from './icon.js';
import { RecipientField } from './recipient-field.js';

interface PendingAttachment {
  key: string;
  name: string;
  size: number;
  progress: number;
  uploadId: string | null;
  failed: 'TOO_BIG' | 'FAILED' | null;
}

/** An address the user may send as, with the name and signature it goes out with (Settings). */
export interface Sender {
  address: string;
  name: string;
  signature: string;
}

/** The body with the sender's signature below a blank line, above any quoted text; a draft keeps its own. */
function withSignature(body: string, signature: string): string {
  return signature ? `\n\n${signature}${body.startsWith('\n') ? '' : '\n'}${body}` : body;
}

interface Props {
  initial: ComposeDraft;
  /** The first is the account's own address. Empty: the server's default sender. */
  senders?: readonly Sender[];
  api: MailApi;
  contacts: readonly EmailAddress[];
  onClose: () => void;
  onSent: () => void;
  onDraftSaved: () => void;
  onError: (error: unknown) => void;
}

const AUTOSAVE_MS = 2000;

/** New message, reply, reply all or forward; plain or rich text, attachments with progress, drafts saved as you type. */
export function Compose({ initial, api, contacts, senders = [], onClose, onSent, onDraftSaved, onError }: Props) {
  const { t, language } = useI18n();
  const [to, setTo] = useState(initial.to);
  const [cc, setCc] = useState(initial.cc);
  const [bcc, setBcc] = useState(initial.bcc);
  const [showCopies, setShowCopies] = useState(initial.cc !== '' || initial.bcc !== '');
  const [subject, setSubject] = useState(initial.subject);
  const [rich, setRich] = useState(false);
  const [from, setFrom] = useState(senders[0]?.address ?? '');
  const sender = senders.find((entry) => entry.address === from) ?? null;
  const [text, setText] = useState(() =>
    initial.mode === 'draft' ? initial.body : withSignature(initial.body, senders[0]?.signature ?? ''),
  );
  const [attachments, setAttachments] = useState<PendingAttachment[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [changes, setChanges] = useState(0);
  const editorRef = useRef<HTMLDivElement>(null);
  const draftId = useRef<string | null>(initial.draftId);
  const saving = useRef<Promise<void> | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);

  const touch = () => setChanges((count) => count + 1);

  /** The body as the server wants it: always a text part, and an HTML part for rich text. */
  const body = useCallback((): { text: string; html: string | null } => {
    if (!rich || !editorRef.current) return { text, html: null };
    return { text: editorRef.current.innerText, html: editorRef.current.innerHTML };
  }, [rich, text]);

  const outgoing = useCallback((): OutgoingMessage => {
    const content = body();
    return {
      to: parseAddressList(to).addresses,
      cc: parseAddressList(cc).addresses,
      bcc: parseAddressList(bcc).addresses,
      subject,
      text: content.text,
      html: content.html,
      attachments: attachments.flatMap((attachment) => (attachment.uploadId ? [attachment.uploadId] : [])),
      inReplyTo: initial.inReplyTo,
      references: initial.references,
      replyToMessageId: initial.sourceId,
      draftId: draftId.current,
      from: sender ? { name: sender.name || null, address: sender.address } : null,
    };
  }, [body, to, cc, bcc, subject, attachments, initial, sender]);

  /** Another sender: its signature takes the place of the previous one's, where that is still in the text. */
  const changeSender = (address: string) => {
    const next = senders.find((entry) => entry.address === address);
    if (!next) return;
    if (sender?.signature && text.includes(sender.signature)) setText(text.replace(sender.signature, next.signature));
    else if (!sender?.signature && next.signature) setText(withSignature(text, next.signature));
    setFrom(address);
    touch();
  };

  const savedChanges = useRef(0);
  const saveDraft = useCallback(async () => {
    if (saving.current) await saving.current.catch(() => undefined);
    const at = changes;
    const work = api.saveDraft(outgoing()).then((id) => {
      draftId.current = id;
      savedChanges.current = at;
      setSavedAt(new Date());
      onDraftSaved();
    });
    saving.current = work.finally(() => {
      saving.current = null;
    });
    await work;
  }, [api, outgoing, onDraftSaved, changes]);

  /** Closing keeps the work: unsaved changes are saved as the draft. */
  const close = () => {
    if (changes > savedChanges.current && !sending) saveDraft().catch(onError);
    onClose();
  };

  /** Discarding throws the saved draft away too (to Trash, like any deleted message). */
  const discard = () => {
    onClose();
    void (async () => {
      if (saving.current) await saving.current.catch(() => undefined);
      if (!draftId.current) return;
      await api.remove([draftId.current]);
      onDraftSaved();
    })().catch(onError);
  };

  // Drafts are saved a few seconds after the last change, never while sending.
  useEffect(() => {
    if (changes === 0 || sending) return;
    const timer = setTimeout(() => {
      saveDraft().catch(onError);
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [changes, sending, saveDraft, onError]);

  const switchMode = (toRich: boolean) => {
    if (toRich === rich) return;
    if (!toRich && editorRef.current) setText(editorRef.current.innerText);
    setRich(toRich);
  };
  useEffect(() => {
    if (rich && editorRef.current)
      editorRef.current.innerHTML = textToHtml(text)
        .replace(/^<div class="plain">|<\/div>$/g, '')
        .replace(/\n/g, '<br>');
    // Only on switching to rich text: afterwards the editor owns the content.
  }, [rich]);
  useEffect(() => {
    // Replies start above the quote.
    if ((initial.mode === 'reply' || initial.mode === 'replyAll') && initial.to) {
      textRef.current?.focus();
      textRef.current?.setSelectionRange(0, 0);
    }
  }, [initial]);

  /** Uploads a file (or, for a carried attachment, first fetches it) with its own progress bar. */
  const attachOne = useCallback((name: string, size: number, file: () => Promise<File>) => {
    const key = `${name}:${size}:${Math.random()}`;
    setAttachments((list) => [...list, { key, name, size, progress: 0, uploadId: null, failed: null }]);
    const update = (patch: Partial<PendingAttachment>) =>
      setAttachments((list) => list.map((item) => (item.key === key ? { ...item, ...patch } : item)));
    file()
      .then((content) => uploadFile(content, (progress) => update({ progress })))
      .then((uploaded) => {
        update({ progress: 1, uploadId: uploaded.id });
        touch();
      })
      .catch((error: Error) => update({ failed: error.message === 'TOO_BIG' ? 'TOO_BIG' : 'FAILED' }));
  }, []);

  const attach = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) attachOne(file.name, file.size, async () => file);
  };

  // A forward or a reopened draft brings the original's attachments along.
  const carried = useRef(false);
  useEffect(() => {
    if (carried.current) return;
    carried.current = true;
    for (const attachment of initial.carried) {
      const name = attachment.filename ?? 'attachment';
      attachOne(
        name,
        attachment.size,
        async () => new File([await fetchAttachment(attachment.url)], name, { type: attachment.contentType }),
      );
    }
  }, [initial, attachOne]);

  const send = async () => {
    const lists = [to, cc, bcc].map(parseAddressList);
    const invalid = lists.flatMap((list) => list.invalid);
    if (invalid.length > 0) return setProblem(t('invalidRecipients', { list: invalid.join(', ') }));
    if (lists.every((list) => list.addresses.length === 0)) return setProblem(t('recipientsMissing'));
    if (attachments.some((attachment) => !attachment.uploadId && !attachment.failed)) return;
    setProblem(null);
    setSending(true);
    try {
      if (saving.current) await saving.current;
      await api.send(outgoing());
      onSent();
    } catch (error) {
      setSending(false);
      setProblem(t('sendFailed', { reason: error instanceof Error ? error.message : String(error) }));
    }
  };

  const format = (command: string, value?: string) => {
    editorRef.current?.focus();
    document.execCommand(command, false, value);
    touch();
  };
  const uploading = attachments.some((attachment) => !attachment.uploadId && !attachment.failed);
  const title = { new: t('newMessage'), draft: t('newMessage'), forward: t('forward'), reply: t('reply'), replyAll: t('replyAll') }[
    initial.mode
  ];

  return (
    <div className="compose-backdrop">
      <form
        className="compose"
        role="dialog"
        aria-modal="true"
        aria-labelledby="compose-title"
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') close();
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void send();
          }
        }}
      >
        <header className="compose-header">
          <h2 id="compose-title">{title}</h2>
          <button type="button" className="icon" aria-label={t('close')} title={t('close')} onClick={close}>
            ✕
          </button>
        </header>
        {senders.length > 1 && (
          <div className="field">
            <label htmlFor="compose-from">{t('sendAs')}</label>
            <select id="compose-from" name="from" value={from} onChange={(event) => changeSender(event.target.value)}>
              {senders.map((entry) => (
                <option key={entry.address} value={entry.address}>
                  {entry.name ? `${entry.name} <${entry.address}>` : entry.address}
                </option>
              ))}
            </select>
          </div>
        )}
        <RecipientField
          label={t('to')}
          name="to"
          value={to}
          contacts={contacts}
          autoFocus={!initial.to}
          onChange={(value) => {
            setTo(value);
            touch();
          }}
        />
        {showCopies ? (
          <>
            <RecipientField
              label={t('cc')}
              name="cc"
              value={cc}
              contacts={contacts}
              onChange={(value) => {
                setCc(value);
                touch();
              }}
            />
            <RecipientField
              label={t('bcc')}
              name="bcc"
              value={bcc}
              contacts={contacts}
              onChange={(value) => {
                setBcc(value);
                touch();
              }}
            />
          </>
        ) : (
          <button type="button" className="link-button copies" onClick={() => setShowCopies(true)}>
            {t('cc')} / {t('bcc')}
          </button>
        )}
        <div className="field">
          <label htmlFor="compose-subject">{t('subject')}</label>
          <input
            id="compose-subject"
            name="subject"
            type="text"
            value={subject}
            onChange={(event) => {
              setSubject(event.target.value);
              touch();
            }}
          />
        </div>
        <div className="editor-bar">
          <span className="mode" role="group">
            <button type="button" aria-pressed={!rich} onClick={() => switchMode(false)}>
              {t('plainText')}
            </button>
            <button type="button" aria-pressed={rich} onClick={() => switchMode(true)}>
              {t('richText')}
            </button>
          </span>
          {rich && (
            <span className="format" role="toolbar" aria-label={t('richText')}>
              <button type="button" title={t('bold')} aria-label={t('bold')} onClick={() => format('bold')}>
                <b>B</b>
              </button>
              <button type="button" title={t('italic')} aria-label={t('italic')} onClick={() => format('italic')}>
                <i>I</i>
              </button>
              <button type="button" title={t('underline')} aria-label={t('underline')} onClick={() => format('underline')}>
                <u>U</u>
              </button>
              <button type="button" title={t('bulletList')} aria-label={t('bulletList')} onClick={() => format('insertUnorderedList')}>
                •≡
              </button>
              <button
                type="button"
                title={t('link')}
                aria-label={t('link')}
                onClick={() => {
                  const url = prompt(t('linkPrompt'), 'https://');
                  if (url && /^(https?:|mailto:)/i.test(url)) format('createLink', url);
                }}
              >
                <Icon name="link" size={14} />
              </button>
            </span>
          )}
        </div>
        {rich ? (
          <div
            ref={editorRef}
            className="editor rich"
            contentEditable
            role="textbox"
            aria-multiline="true"
            aria-label={t('richText')}
            lang={language}
            onInput={touch}
            suppressContentEditableWarning
          />
        ) : (
          <textarea
            ref={textRef}
            className="editor"
            name="body"
            aria-label={t('plainText')}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              touch();
            }}
          />
        )}
        {attachments.length > 0 && (
          <ul className="compose-attachments">
            {attachments.map((attachment) => (
              <li key={attachment.key} className={attachment.failed ? 'failed' : undefined}>
                <span className="filename">
                  <Icon name="attachment" size={14} /> {attachment.name}
                </span>{' '}
                <span className="size">{formatSize(attachment.size)}</span>
                {attachment.failed ? (
                  <span className="error">
                    {t(attachment.failed === 'TOO_BIG' ? 'uploadTooBig' : 'uploadFailed', { name: attachment.name })}
                  </span>
                ) : (
                  <progress max={1} value={attachment.progress} aria-label={attachment.name} />
                )}
                <button
                  type="button"
                  className="icon"
                  aria-label={t('discard')}
                  onClick={() => {
                    setAttachments((list) => list.filter((item) => item.key !== attachment.key));
                    touch();
                  }}
                >
                  ✕
                </button>
              </li>
            ))}
          </ul>
        )}
        {problem && (
          <p className="error" role="alert">
            {problem}
          </p>
        )}
        <footer className="compose-footer">
          <button type="submit" className="primary" disabled={sending || uploading}>
            {sending ? t('sending') : t('send')}
          </button>
          <label className="attach-button">
            <Icon name="attachment" size={14} /> {t('attach')}
            <input
              type="file"
              multiple
              onChange={(event) => {
                attach(event.target.files);
                event.target.value = '';
              }}
            />
          </label>
          <button
            type="button"
            onClick={() => {
              saveDraft().catch(onError);
            }}
          >
            {t('saveDraft')}
          </button>
          {savedAt && (
            <span className="saved">
              {t('draftSaved', { time: savedAt.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' }) })}
            </span>
          )}
          <button type="button" className="link-button discard danger" onClick={discard}>
            {t('discard')}
          </button>
        </footer>
      </form>
    </div>
  );
}
