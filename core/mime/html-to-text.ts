const BLOCK_TAGS = new Set([
  'address',
  'article',
  'blockquote',
  'br',
  'dd',
  'div',
  'dl',
  'dt',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tr',
  'ul',
]);
const CELL_TAGS = new Set(['td', 'th']);
/** Elements whose content is not text a reader sees. */
const SKIPPED_CONTENT = new Set(['script', 'style', 'head', 'title', 'template']);
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  middot: '·',
  euro: '€',
  laquo: '«',
  raquo: '»',
  shy: '',
  zwnj: '',
  zwj: '',
};

/**
 * Text content of an HTML document for search and previews: tags dropped, block elements become line
 * breaks, script/style/head content skipped, character references decoded. One forward scan with
 * indexOf; not a conforming HTML parser, which search text does not need.
 */
export function htmlToText(html: string): string {
  const out: string[] = [];
  const n = html.length;
  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      out.push(decodeEntities(html.slice(i)));
      break;
    }
    if (lt > i) out.push(decodeEntities(html.slice(i, lt)));
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close === -1 ? n : close + 3;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    if (gt === -1) break;
    let p = lt + 1;
    const closing = html[p] === '/';
    if (closing) p++;
    let nameEnd = p;
    while (nameEnd < gt && /[A-Za-z0-9]/.test(html[nameEnd]!)) nameEnd++;
    const name = html.slice(p, nameEnd).toLowerCase();
    i = gt + 1;
    if (!closing && SKIPPED_CONTENT.has(name)) {
      const end = indexOfIgnoreCase(html, `</${name}`, i);
      if (end === -1) break;
      const endGt = html.indexOf('>', end);
      i = endGt === -1 ? n : endGt + 1;
      continue;
    }
    if (BLOCK_TAGS.has(name)) out.push('\n');
    else if (CELL_TAGS.has(name)) out.push(' ');
  }
  return out.join('');
}

function indexOfIgnoreCase(text: string, needle: string, from: number): number {
  // The needle is lowercase ASCII; scanning for '<' keeps this linear without lowercasing the whole text.
  let pos = from;
  for (;;) {
    const at = text.indexOf('<', pos);
    if (at === -1) return -1;
    if (text.slice(at, at + needle.length).toLowerCase() === needle) return at;
    pos = at + 1;
  }
}

/** Decodes HTML character references (named ones from a short list, all numeric ones). */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});?/g, (match, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : match;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? match;
  });
}
