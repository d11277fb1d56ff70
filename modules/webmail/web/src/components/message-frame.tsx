import { useEffect, useRef, useState } from 'react';
import { fetchAttachment } from '../api/attachments-http.js';
import type { MessageDetail } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { asRasterBlob, isInlineImage } from '../logic/inline-images.js';
import { messageDocument, replaceInlineSources, textToHtml } from '../logic/message-document.js';

/**
 * The message body in an iframe sandboxed WITHOUT allow-scripts: nothing in it can run, whatever got past the
 * server's sanitiser. allow-same-origin only lets this page measure the content for the frame's height;
 * allow-popups lets links open in a new tab.
 */
export function MessageFrame({ message, allowRemoteImages }: { message: MessageDetail; allowRemoteImages: boolean }) {
  const { language } = useI18n();
  const frameRef = useRef<HTMLIFrameElement>(null);
  const hasInline = message.attachments.some((attachment) => isInlineImage(attachment, message.html));
  const [inlineUrls, setInlineUrls] = useState<ReadonlyMap<string, string> | null>(() => (hasInline ? null : new Map()));

  // Inline (cid:) raster images point to the authenticated download URL; fetch them as blob: URLs of our own type.
  // Other inline parts get no URL at all: the reading pane lists them as attachments.
  useEffect(() => {
    const inline = message.attachments.filter((attachment) => isInlineImage(attachment, message.html));
    if (inline.length === 0) return setInlineUrls(new Map());
    let alive = true;
    const created: string[] = [];
    void Promise.all(
      inline.map(async (attachment) => {
        try {
          const image = asRasterBlob(await fetchAttachment(attachment.url), attachment.contentType);
          if (!image) return null;
          const url = URL.createObjectURL(image);
          created.push(url);
          return [attachment.url, url] as const;
        } catch {
          return null;
        }
      }),
    ).then((pairs) => {
      if (alive) setInlineUrls(new Map(pairs.filter((pair) => pair !== null)));
    });
    return () => {
      alive = false;
      for (const url of created) URL.revokeObjectURL(url);
    };
  }, [message]);

  const fit = () => {
    const frame = frameRef.current;
    const root = frame?.contentDocument?.documentElement;
    if (frame && root) frame.style.height = `${Math.max(root.scrollHeight, 80) + 4}px`;
  };

  useEffect(() => {
    const frame = frameRef.current;
    if (!frame) return;
    const onLoad = () => {
      fit();
      for (const image of Array.from(frame.contentDocument?.images ?? [])) image.addEventListener('load', fit);
    };
    frame.addEventListener('load', onLoad);
    window.addEventListener('resize', fit);
    return () => {
      frame.removeEventListener('load', onLoad);
      window.removeEventListener('resize', fit);
    };
  }, []);

  if (inlineUrls === null) return <div className="message-body pending" />;
  const body = message.html ? replaceInlineSources(message.html, inlineUrls) : textToHtml(message.text ?? '');
  return (
    <iframe
      ref={frameRef}
      className="message-body"
      title={message.subject}
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      referrerPolicy="no-referrer"
      srcDoc={messageDocument(body, { allowRemoteImages, lang: language })}
    />
  );
}
