// A1 ENABLE CONDSTORE UTF8=ACCEPT
import { defineCommand, ok } from '../imap-command.js';
import { atom } from '../protocol/imap-writer.js';
import type { Enableable } from '../session/imap-session.js';
import { enableCondstore } from './command-helpers.js';

const KNOWN = new Map<string, Enableable>([
  ['CONDSTORE', 'CONDSTORE'],
  ['QRESYNC', 'QRESYNC'],
  ['UTF8=ACCEPT', 'UTF8=ACCEPT'],
  ['IMAP4REV2', 'IMAP4REV2'],
]);

/** RFC 5161; unknown extensions are ignored, and only newly enabled ones are listed. */
export const enableCommand = defineCommand({
  verbs: ['ENABLE'],
  states: ['authenticated'],
  parse(args) {
    const names: string[] = [];
    while (args.remaining > 0) names.push(args.atom('capability').toUpperCase());
    if (names.length === 0) args.atom('capability');
    return names;
  },
  async run(ctx, names) {
    const enabled: string[] = [];
    for (const name of names) {
      const known = KNOWN.get(name);
      if (!known || ctx.session.enabled.has(known)) continue;
      ctx.session.enabled.add(known);
      enabled.push(known === 'IMAP4REV2' ? 'IMAP4rev2' : known);
      // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE.
      if (known === 'QRESYNC' && !ctx.session.enabled.has('CONDSTORE')) ctx.session.enabled.add('CONDSTORE');
      if (known === 'QRESYNC' || known === 'CONDSTORE') enableCondstore(ctx);
    }
    ctx.untagged([atom('ENABLED'), ...enabled.map(atom)]);
    return ok('ENABLE completed');
  },
});
