/** A value of a client command after tokenising (RFC 3501 §9): atoms, strings (quoted or literal) and lists. */
export type ImapValue =
  | { kind: 'atom'; value: string }
  | { kind: 'string'; value: Buffer; literal: boolean; binary?: boolean }
  | { kind: 'list'; items: ImapValue[] };

/** One tagged client command: `A1 UID FETCH 1:* FLAGS` is `{ tag: 'A1', verb: 'UID FETCH', args: [...] }`. */
export interface ImapCommand {
  tag: string;
  verb: string;
  args: ImapValue[];
}

export type ParseResult = { ok: true; command: ImapCommand } | { ok: false; tag: string | null; text: string };
