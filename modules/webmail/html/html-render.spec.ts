import { describe, expect, it } from 'vitest';
import type { HtmlRenderRequest } from './html-render.protocol.js';
import { renderHtml, truncateHtmlBytes } from './html-render.js';

const request = (html: Buffer | string, overrides: Partial<HtmlRenderRequest> = {}): HtmlRenderRequest => ({
  kind: 'sanitize',
  body: new Uint8Array(Buffer.from(html)),
  encoding: '7bit',
  charset: 'utf-8',
  allowRemoteImages: false,
  contentIds: [],
  limitBytes: 1024 * 1024,
  ...overrides,
});

describe('truncateHtmlBytes', () => {
  it('keeps a body within the limit whole', () => {
    const bytes = Buffer.from('<p>short</p>');
    expect(truncateHtmlBytes(bytes, bytes.length)).toEqual({ bytes, truncated: false });
  });

  it('cuts before the last tag that starts within the limit, so no tag is cut in half', () => {
    const { bytes, truncated } = truncateHtmlBytes(Buffer.from('<p>one</p><a href="https://example.org/long">x</a>'), 20);
    expect(truncated).toBe(true);
    expect(bytes.toString()).toBe('<p>one</p>');
  });

  it('without a tag near the limit cuts at the limit, never inside a UTF-8 character', () => {
    const text = Buffer.from(`<p>${'é'.repeat(100_000)}`);
    const { bytes, truncated } = truncateHtmlBytes(text, 70_000);
    expect(truncated).toBe(true);
    expect(bytes.length).toBeLessThanOrEqual(70_000);
    expect(bytes.toString('utf8')).toBe(`<p>${'é'.repeat((bytes.length - 3) / 2)}`);
  });
});

describe('renderHtml', () => {
  it('decodes the transfer encoding and charset, then sanitises', () => {
    const body = Buffer.from('<p>Gr\xfc\xdfe<script>alert(1)</script></p>', 'latin1').toString('base64');
    const result = renderHtml(request(body, { encoding: 'base64', charset: 'iso-8859-1' }));
    expect(result).toEqual({ output: '<p>Grüße</p>', truncated: false });
  });

  it('points cid: images at the given URLs and keeps remote images out unless allowed', () => {
    const html = '<img src="cid:logo@x"><img src="https://tracker.example/p.gif">';
    const blocked = renderHtml(request(html, { contentIds: [['logo@x', '/api/webmail/messages/7/attachments/2']] })).output;
    expect(blocked).toContain('src="/api/webmail/messages/7/attachments/2"');
    expect(blocked).toContain('data-remote-src="https://tracker.example/p.gif"');
    expect(renderHtml(request(html, { allowRemoteImages: true })).output).toContain('src="https://tracker.example/p.gif"');
  });

  it('renders only the first limitBytes of a huge body and says so', () => {
    const huge = `<div>${'<p style="color: red">row</p>'.repeat(50_000)}</div>`;
    const result = renderHtml(request(huge, { limitBytes: 100_000 }));
    expect(result.truncated).toBe(true);
    expect(result.output.length).toBeLessThan(120_000);
    expect(result.output.endsWith('<p style="color:red">row</p></div>')).toBe(true);
  });

  it('turns an HTML body into text', () => {
    expect(renderHtml(request('<p>One</p><script>x()</script><p>Two &amp; three</p>', { kind: 'text' })).output).toBe(
      '\nOne\n\nTwo & three\n',
    );
  });
});
