/**
 * What a reply must never carry: a stack frame (`at fn (file.js:1:2)`), a source or install path, an error with its
 * stack. smtp-server's own replies say "Error: ..." without a stack, so a bare "Error:" is not a leak.
 */
const LEAK_PATTERNS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'stack frame', pattern: /\bat (?:async )?(?:[\w$.<>[\]]+ )?\(?(?:file:\/\/)?[^\s()'"]*\.(?:js|ts|mjs|cjs):\d+:\d+\)?/ },
  { name: 'node internals', pattern: /\bnode:internal\/|\bnode_modules\b/ },
  { name: 'error with stack', pattern: /\b\w*Error: [^\r\n]*\r?\n\s+at / },
  { name: 'source path', pattern: /\/work\/|\/dist\/(?:core|modules|mobile-api|plugins)\// },
];

export interface Leak {
  name: string;
  excerpt: string;
}

/** The first leak in `text`, or null; `paths` are further strings that must not appear (the data dir, the repo root). */
export function findLeak(text: string, paths: readonly string[] = []): Leak | null {
  for (const { name, pattern } of LEAK_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return { name, excerpt: excerpt(text, match.index, match[0].length) };
  }
  for (const path of paths) {
    if (path.length < 4) continue;
    const at = text.indexOf(path);
    if (at >= 0) return { name: 'server path', excerpt: excerpt(text, at, path.length) };
  }
  return null;
}

function excerpt(text: string, at: number, length: number): string {
  return text.slice(Math.max(0, at - 120), at + length + 120);
}
