/**
 * The document shown in the reading pane's iframe. The iframe is sandboxed without allow-scripts, and this CSP
 * (a srcdoc document also inherits the page's) forbids scripts, plugins, forms and any network load except the
 * images explicitly allowed: `data:`/`blob:` always (inline cid: parts are turned into blob: URLs), http(s) only
 * once the user allowed remote images for this message.
 */
export function messageCsp(allowRemoteImages: boolean): string {
  const images = allowRemoteImages ? 'data: blob: https: http:' : 'data: blob:';
  return `default-src 'none'; img-src ${images}; style-src 'unsafe-inline'; font-src data:; form-action 'none'; base-uri 'none'`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const LINK = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g;

/** Plain text as HTML: escaped, line breaks kept, http(s) addresses as links. */
export function textToHtml(text: string): string {
  const escaped = escapeHtml(text);
  const linked = escaped.replace(LINK, (url) => `<a href="${url}">${url}</a>`);
  return `<div class="plain">${linked}</div>`;
}

const BASE_STYLE = `html,body{margin:0;padding:0}body{font:14px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC",
"Microsoft YaHei",sans-serif;color:#1f2328;padding:4px 2px;overflow-wrap:anywhere}img{max-width:100%;height:auto}
.plain{white-space:pre-wrap;font-family:inherit}blockquote{margin:0 0 0 .5em;padding-left:.8em;border-left:3px solid #d0d7de;color:#57606a}
a{color:#0a58ca}table{max-width:100%}img[data-remote-src]{display:inline-block;min-width:24px;min-height:24px;
background:#f6f8fa;outline:1px dashed #d0d7de}`;

/** The full srcdoc: CSP meta first (before any content), links opening outside the frame. */
export function messageDocument(bodyHtml: string, options: { allowRemoteImages: boolean; lang: string }): string {
  return (
    `<!doctype html><html lang="${escapeAttribute(options.lang)}"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(messageCsp(options.allowRemoteImages))}">` +
    `<meta name="referrer" content="no-referrer"><base target="_blank"><style>${BASE_STYLE}</style></head>` +
    `<body>${bodyHtml}</body></html>`
  );
}

/** The sanitiser on the server keeps blocked remote images' addresses in data-remote-src. */
export function hasBlockedRemoteImages(html: string | null): boolean {
  return html !== null && /\sdata-remote-src=/i.test(html);
}

/** Replaces the download URLs of inline (cid:) parts by local blob: URLs fetched with the session cookie. */
export function replaceInlineSources(html: string, urls: ReadonlyMap<string, string>): string {
  return html.replace(/(<img\b[^>]*?\ssrc=")([^"]*)(")/gi, (whole, before: string, src: string, after: string) => {
    const local = urls.get(src.replace(/&amp;/g, '&'));
    return local ? `${before}${local}${after}` : whole;
  });
}
