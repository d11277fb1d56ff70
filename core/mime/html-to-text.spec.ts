import { describe, expect, it } from 'vitest';
import { htmlToText } from './html-to-text.js';

describe('htmlToText', () => {
  it('drops tags, comments, script and style content, and breaks lines at block elements', () => {
    const html =
      '<HTML><Head><Title>x</Title></Head><body><!-- hidden --><p>One&nbsp;&amp;&#x20AC;&#8364;</p><SCRIPT>alert(1)</script>two<br>three<td>4</td></body>';
    expect(htmlToText(html)).toBe('\nOne &€€\ntwo\nthree 4 ');
  });

  it('leaves unknown entities and a trailing unclosed tag alone', () => {
    expect(htmlToText('a &bogus; b <unclosed')).toBe('a &bogus; b ');
  });
});
