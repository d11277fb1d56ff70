// A1 ID ("name" "Thunderbird")
import { defineCommand, ok } from '../imap-command.js';
import { atom } from '../protocol/imap-writer.js';

/** RFC 2971; the client's values are logged, never trusted. */
export const idCommand = defineCommand({
  verbs: ['ID'],
  states: ['not-authenticated', 'authenticated', 'selected'],
  parse(args) {
    const value = args.any('ID parameters');
    args.end();
    if (value.kind !== 'list') return {};
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < value.items.length && i < 60; i += 2) {
      const key = value.items[i];
      const item = value.items[i + 1];
      if (key.kind === 'list' || item.kind === 'list') continue;
      fields[(key.kind === 'atom' ? key.value : key.value.toString('utf8')).slice(0, 30).toLowerCase()] = (
        item.kind === 'atom' ? item.value : item.value.toString('utf8')
      ).slice(0, 200);
    }
    return fields;
  },
  async run(ctx, client) {
    if (Object.keys(client).length > 0) ctx.log.info({ client }, 'client ID');
    ctx.untagged([atom('ID'), ['name', 'Mailhive', 'vendor', 'Mailhive']]);
    return ok('ID completed');
  },
});
