import { describe, expect, it } from 'vitest';
import type { Attachment } from '../api/types.js';
import { asDownloadBlob, asRasterBlob, isInlineImage, rasterImageType } from './inline-images.js';

const part = (contentType: string, contentId: string | null = 'x@y'): Attachment => ({
  id: '2',
  filename: null,
  contentType,
  size: 3,
  contentId,
  url: '/api/webmail/messages/1/attachments/2',
});
const html = '<img src="/api/webmail/messages/1/attachments/2">';

describe('inline images', () => {
  it('maps raster types to our own type and refuses every other type', () => {
    expect(rasterImageType('image/PNG; name="a.png"')).toBe('image/png');
    expect(rasterImageType('image/jpg')).toBe('image/jpeg');
    expect(rasterImageType('image/vnd.microsoft.icon')).toBe('image/x-icon');
    for (const type of [
      'text/html',
      'image/svg+xml',
      'image/svg',
      'application/xhtml+xml',
      'text/xml',
      'image/png+xml',
      'image/',
      '',
      'application/octet-stream',
    ]) {
      expect(rasterImageType(type), type).toBeNull();
    }
  });

  it('shows a part inline only when the body references it and it is a raster image', () => {
    expect(isInlineImage(part('image/gif'), html)).toBe(true);
    expect(isInlineImage(part('text/html'), html)).toBe(false);
    expect(isInlineImage(part('image/svg+xml'), html)).toBe(false);
    expect(isInlineImage(part('image/gif', null), html)).toBe(false);
    expect(isInlineImage(part('image/gif'), '<p>no image</p>')).toBe(false);
    expect(isInlineImage(part('image/gif'), null)).toBe(false);
  });

  it('gives blobs our type, never the one they were fetched with', async () => {
    const fetched = new Blob(['<svg onload="alert(1)"/>'], { type: 'image/svg+xml' });
    expect(asRasterBlob(fetched, 'image/webp')?.type).toBe('image/webp');
    expect(asRasterBlob(fetched, 'image/svg+xml')).toBeNull();
    const download = asDownloadBlob(new Blob(['<script></script>'], { type: 'text/html' }));
    expect(download.type).toBe('application/octet-stream');
    expect(await download.text()).toBe('<script></script>');
  });
});
