import type { EnvelopeAddress } from './message-analysis.types.js';

/**
 * Host used for an address without a domain, so that it cannot be mistaken for the group markers of
 * RFC 3501 §7.4.2 (which are the only addresses with a NIL host); the convention of UW c-client.
 */
export const MISSING_HOST = '.MISSING-HOST-NAME.';

type TokenKind = 'atom' | 'quoted' | 'comment' | 'literal' | 'special';

interface Token {
  kind: TokenKind;
  /** Unquoted text (quoted strings and comments without delimiters and backslashes). */
  text: string;
}

const SPECIALS = new Set(['<', '>', '@', ',', ';', ':']);

/**
 * Longest address-list text parsed, in UTF-16 code units; addresses past it are dropped. As long as the largest
 * header block SMTP takes (256 KiB), so every address a sender check reads is parsed, while a message stored by
 * other ways (IMAP APPEND, import) with a multi-megabyte To field costs no more than that.
 */
export const MAX_ADDRESS_LIST_LENGTH = 256 * 1024;

/**
 * Parses an RFC 2822 §3.4 address-list into IMAP ENVELOPE addresses (RFC 3501 §7.4.2).
 *
 * Names stay raw (encoded-words are not decoded, quoted strings are unquoted); a group becomes a
 * start marker (mailbox = group name, host NIL) and an end marker (all NIL). A comment stands in for
 * a missing display name. Never throws; unparseable pieces are skipped. Linear in the input (at most
 * MAX_ADDRESS_LIST_LENGTH of it).
 */
export function parseAddressList(input: string): EnvelopeAddress[] {
  const tokens = tokenize(input.length > MAX_ADDRESS_LIST_LENGTH ? input.slice(0, MAX_ADDRESS_LIST_LENGTH) : input);
  const out: EnvelopeAddress[] = [];
  let pos = 0;
  let inGroup = false;
  while (pos < tokens.length) {
    const phrase: Token[] = [];
    let comment: string | null = null;
    // Collect the display phrase (or the local part) up to the next structural special.
    while (pos < tokens.length) {
      const t = tokens[pos]!;
      if (t.kind === 'special' && (t.text !== ':' || !inGroup) && t.text !== '>') break;
      if (t.kind === 'comment') comment ??= t.text.trim() || null;
      else if (t.kind !== 'special') phrase.push(t);
      pos++;
    }
    const t = tokens[pos];
    const stop = t?.text;
    if (stop === ':') {
      pos++;
      inGroup = true;
      out.push({ name: null, adl: null, mailbox: joinPhrase(phrase) ?? '', host: null });
      continue;
    }
    if (stop === '<') {
      pos++;
      const angle = parseAngle(tokens, pos);
      pos = angle.pos;
      // Anything up to the next ',' or ';' after '>' is ignored, but a comment may still name the address.
      while (pos < tokens.length && !(tokens[pos]!.kind === 'special' && (tokens[pos]!.text === ',' || tokens[pos]!.text === ';'))) {
        if (tokens[pos]!.kind === 'comment') comment ??= tokens[pos]!.text.trim() || null;
        pos++;
      }
      if (angle.mailbox !== null) {
        out.push({ name: joinPhrase(phrase) ?? comment, adl: angle.adl, mailbox: angle.mailbox, host: angle.host ?? MISSING_HOST });
      }
      continue;
    }
    if (stop === '@') {
      pos++;
      const domain: Token[] = [];
      while (pos < tokens.length && !(tokens[pos]!.kind === 'special' && (tokens[pos]!.text === ',' || tokens[pos]!.text === ';'))) {
        const d = tokens[pos]!;
        // A comment after the address ("user@host (Full Name)") names it rather than one before it, as in Dovecot.
        if (d.kind === 'comment') comment = d.text.trim() || comment;
        else if (d.kind !== 'special') domain.push(d);
        pos++;
      }
      out.push({ name: comment, adl: null, mailbox: joinRaw(phrase), host: joinRaw(domain) || MISSING_HOST });
      continue;
    }
    if (phrase.length > 0) out.push({ name: comment, adl: null, mailbox: joinRaw(phrase), host: MISSING_HOST });
    if (stop === ';') {
      if (inGroup) out.push({ name: null, adl: null, mailbox: null, host: null });
      inGroup = false;
    }
    pos++;
  }
  // A group without its closing ';' still gets its end marker, so start and end markers pair up.
  if (inGroup) out.push({ name: null, adl: null, mailbox: null, host: null });
  return out;
}

function parseAngle(tokens: Token[], start: number): { pos: number; adl: string | null; mailbox: string | null; host: string | null } {
  let pos = start;
  let adl: string | null = null;
  // RFC 2822 §4.4 obs-route: "@a,@b:" before the address. The scan for its ':' stops at the first token a route
  // cannot hold, so that many "<@," in one list cost one pass, not one pass each over the rest of the field.
  if (tokens[pos]?.text === '@' && tokens[pos]!.kind === 'special') {
    let end = pos;
    while (end < tokens.length && inRoute(tokens[end]!)) end++;
    if (tokens[end]?.kind === 'special' && tokens[end]!.text === ':') {
      adl = tokens
        .slice(pos, end)
        .filter((t) => t.kind !== 'comment')
        .map((t) => t.text)
        .join('');
      pos = end + 1;
    }
  }
  const local: Token[] = [];
  const domain: Token[] = [];
  let target = local;
  let sawAt = false;
  while (pos < tokens.length) {
    const t = tokens[pos]!;
    if (t.kind === 'special' && t.text === '>') {
      pos++;
      break;
    }
    if (t.kind === 'special' && (t.text === ',' || t.text === ';')) break;
    if (t.kind === 'special' && t.text === '@' && !sawAt) {
      sawAt = true;
      target = domain;
    } else if (t.kind !== 'comment' && t.kind !== 'special') {
      target.push(t);
    }
    pos++;
  }
  const mailbox = joinRaw(local);
  if (!mailbox && !sawAt) return { pos, adl, mailbox: null, host: null };
  return { pos, adl, mailbox, host: joinRaw(domain) || null };
}

/** A token an obs-route may contain: domains, '@', ',' and comments (RFC 2822 §4.4 obs-domain-list). */
function inRoute(token: Token): boolean {
  return token.kind === 'special' ? token.text === '@' || token.text === ',' : token.kind !== 'quoted';
}

function joinPhrase(tokens: Token[]): string | null {
  if (tokens.length === 0) return null;
  return tokens.map((t) => t.text).join(' ');
}

/** Local parts and domains are written back without the whitespace between tokens; quoted local parts keep their quotes. */
function joinRaw(tokens: Token[]): string {
  let out = '';
  for (const t of tokens) out += t.kind === 'quoted' ? `"${t.text.replace(/(["\\])/g, '\\$1')}"` : t.text;
  return out;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    const ch = input[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      i++;
    } else if (ch === '"') {
      let text = '';
      i++;
      while (i < n && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < n) i++;
        text += input[i];
        i++;
      }
      i++;
      tokens.push({ kind: 'quoted', text });
    } else if (ch === '(') {
      let depth = 1;
      let text = '';
      i++;
      while (i < n && depth > 0) {
        const c = input[i]!;
        if (c === '\\' && i + 1 < n) {
          text += input[i + 1];
          i += 2;
          continue;
        }
        if (c === '(') depth++;
        else if (c === ')' && --depth === 0) break;
        text += c;
        i++;
      }
      i++;
      tokens.push({ kind: 'comment', text });
    } else if (ch === '[') {
      const close = input.indexOf(']', i);
      const end = close === -1 ? n : close + 1;
      tokens.push({ kind: 'literal', text: input.slice(i, end) });
      i = end;
    } else if (SPECIALS.has(ch)) {
      tokens.push({ kind: 'special', text: ch });
      i++;
    } else {
      let end = i;
      while (end < n) {
        const c = input[end]!;
        if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '"' || c === '(' || c === '[' || SPECIALS.has(c)) break;
        end++;
      }
      tokens.push({ kind: 'atom', text: input.slice(i, end) });
      i = end;
    }
  }
  return tokens;
}
