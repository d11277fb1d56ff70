import type { Attachment } from '../api/types.js';

/**
 * The inline (cid:) parts the reading pane shows as images: raster formats only, each mapped to the type its blob
 * gets. A blob: URL lives in our origin and keeps its type when opened in a tab, so an inline "image" of type
 * text/html or image/svg+xml would run the sender's script there; such parts stay plain attachments. The value is
 * ours, never the type the sender declared.
 */
const RASTER_TYPES: ReadonlyMap<string, string> = new Map([
  ['image/png', 'image/png'],
  ['image/apng', 'image/png'],
  ['image/jpeg', 'image/jpeg'],
  ['image/jpg', 'image/jpeg'],
  ['image/pjpeg', 'image/jpeg'],
  ['image/gif', 'image/gif'],
  ['image/webp', 'image/webp'],
  ['image/bmp', 'image/bmp'],
  ['image/x-bmp', 'image/bmp'],
  ['image/x-ms-bmp', 'image/bmp'],
  ['image/avif', 'image/avif'],
  ['image/x-icon', 'image/x-icon'],
  ['image/vnd.microsoft.icon', 'image/x-icon'],
]);

/** The blob type for an inline image of this declared type, or null when it is not a raster image. */
export function rasterImageType(contentType: string): string | null {
  const bare = contentType.split(';', 1)[0].trim().toLowerCase();
  return RASTER_TYPES.get(bare) ?? null;
}

/** Whether the body shows this part as an image: referenced from the HTML by its cid and a raster format. */
export function isInlineImage(attachment: Attachment, html: string | null): boolean {
  return attachment.contentId !== null && rasterImageType(attachment.contentType) !== null && (html?.includes(attachment.url) ?? false);
}

/** A copy of the fetched bytes under our type: the server's Content-Type never becomes the blob's. */
export function asRasterBlob(bytes: Blob, contentType: string): Blob | null {
  const type = rasterImageType(contentType);
  return type ? bytes.slice(0, bytes.size, type) : null;
}

/** Downloads are handed to the browser as opaque bytes, so their blob: URL can never render as a page. */
export function asDownloadBlob(bytes: Blob): Blob {
  return bytes.slice(0, bytes.size, 'application/octet-stream');
}
