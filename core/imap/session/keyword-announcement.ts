import { atom, type OutValue } from '../protocol/imap-writer.js';

/** The system flags, in the order FLAGS and PERMANENTFLAGS list them (RFC 3501 §2.3.2). */
export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

/**
 * The keywords a session's client has been told of. RFC 3501 §7.2.6 and §7.4.2: a client learns the flags of the
 * mailbox from FLAGS, so a keyword must be named in an untagged FLAGS (and PERMANENTFLAGS, where it may be stored)
 * before any FETCH shows it, whichever session or delivery put it there.
 */
export class KeywordAnnouncement {
  /** By upper case (flags are case-insensitive, RFC 9051 §2.3.2), as first seen. */
  private readonly known = new Map<string, string>();

  constructor(private readonly readOnly: boolean) {}

  /** Untagged FLAGS and PERMANENTFLAGS to write before responses that show `flags`; none when all are known. */
  announce(flags: Iterable<string>): OutValue[][] {
    let fresh = false;
    for (const flag of flags) {
      if (flag.startsWith('\\')) continue;
      const key = flag.toUpperCase();
      if (this.known.has(key)) continue;
      this.known.set(key, flag);
      fresh = true;
    }
    return fresh ? this.responses() : [];
  }

  private responses(): OutValue[][] {
    const all = [...SYSTEM_FLAGS, ...this.known.values()];
    // Read-only: nothing may be stored (RFC 3501 §7.1, PERMANENTFLAGS).
    const permanent = this.readOnly ? '' : [...all, '\\*'].join(' ');
    return [
      [atom('FLAGS'), all.map(atom)],
      [atom('OK'), atom(`[PERMANENTFLAGS (${permanent})] Flags permitted`)],
    ];
  }
}
