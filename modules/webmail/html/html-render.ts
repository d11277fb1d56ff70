import { decodeCharset } from '../../../core/mime/charset.js';
import { htmlToText } from '../../../core/mime/html-to-text.js';
import { decodeTransferEncoding } from '../../../core/mime/transfer-encoding.js';
import { sanitizeMessageHtml } from './html-sanitizer.js';
import type { HtmlRenderRequest, HtmlRenderResult } from './html-render.protocol.js';

/** How far before the limit a '<' is looked for; past that the cut falls at the limit itself. */
const TAG_BOUNDARY_WINDOW = 64 * 1024;
const LT = 0x3c;

/**
 * The beginning of a decoded HTML body that fits in `limit` bytes. The cut falls just before the last '<' within
 * TAG_BOUNDARY_WINDOW of the limit, so no tag is cut in half; '<' is never part of a multi-byte character in UTF-8,
 * GBK, Big5 or Shift_JIS, so no character is cut either. Without such a '<' the cut falls at the limit, moved back
 * to the start of a UTF-8 sequence.
 */
export function truncateHtmlBytes(bytes: Buffer, limit: number): { bytes: Buffer; truncated: boolean } {
  if (bytes.length <= limit) return { bytes, truncated: false };
  const lt = bytes.lastIndexOf(LT, limit);
  if (lt > 0 && lt >= limit - TAG_BOUNDARY_WINDOW) return { bytes: bytes.subarray(0, lt), truncated: true };
  let cut = limit;
  // UTF-8 continuation bytes are 10xxxxxx; a sequence is at most 4 bytes long.
  while (cut > limit - 4 && cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return { bytes: bytes.subarray(0, cut), truncated: true };
}

/** Decodes, truncates and renders one HTML body. Pure and synchronous: it runs in a worker thread. */
export function renderHtml(request: HtmlRenderRequest): HtmlRenderResult {
  const body = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
  const decoded = decodeTransferEncoding(body, request.encoding) ?? body;
  const { bytes, truncated } = truncateHtmlBytes(decoded, request.limitBytes);
  const html = decodeCharset(bytes, request.charset);
  if (request.kind === 'text') return { output: htmlToText(html), truncated };
  const byContentId = new Map(request.contentIds);
  const output = sanitizeMessageHtml(html, {
    allowRemoteImages: request.allowRemoteImages,
    resolveContentId: (contentId) => byContentId.get(contentId) ?? null,
  }).html;
  return { output, truncated };
}
