import { definePlugin, PluginError, type DeliveryAction } from '../../core/plugin-host/plugin-api.js';
import { compileSieve, runSieve } from './sieve-interpreter.js';
import { SieveSyntaxError, type SieveCommand } from './sieve-parser.js';

const scriptKey = (address: string) => `script:${address.toLowerCase()}`;

/** Compiled scripts by their text: a script is compiled once, not per message. */
const compiled = new Map<string, SieveCommand[]>();
function compile(script: string): SieveCommand[] {
  let commands = compiled.get(script);
  if (!commands) {
    commands = compileSieve(script);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(script, commands);
  }
  return commands;
}

/**
 * Server-side filters: each user's Sieve script (RFC 5228 with fileinto, reject, envelope, imap4flags, body, copy)
 * runs at delivery, after anti-spam. Users read and set their script through the plugin's GraphQL fields; a script
 * that does not compile is refused with the line of the mistake. One copy is filed per recipient: the last
 * fileinto names its folder (`:copy` keeps INBOX only when no other fileinto follows).
 */
export default definePlugin({
  name: 'filters',
  description: 'Sieve filters per user, run at delivery',
  failOpen: true,
  hooks: {
    'message.deliver': {
      priority: -20,
      handler: async ({ sender, recipient, headers, size, raw }, plugin) => {
        const script = await plugin.store.get<string>(scriptKey(recipient));
        if (!script) return undefined;
        const split = raw.indexOf('\r\n\r\n');
        // The body test searches the undecoded body text (the "raw" transform of RFC 5173 §5).
        const body = split < 0 ? '' : raw.subarray(split + 4).toString('utf8');
        const outcome = runSieve(compile(script), { headers, envelope: { from: sender, to: recipient }, size, body });
        if (outcome.disposition === 'discard') return { action: 'discard', text: "discarded by the recipient's filter" };
        if (outcome.disposition === 'reject') return { action: 'reject', text: outcome.reason };
        const actions: DeliveryAction[] = [
          ...(outcome.folder ? [{ kind: 'fileInto' as const, mailbox: outcome.folder }] : []),
          ...(outcome.flags.length > 0 ? [{ kind: 'setFlags' as const, flags: outcome.flags }] : []),
        ];
        return actions.length > 0 ? { action: 'accept', actions } : undefined;
      },
    },
  },
  graphql: {
    queries: {
      script: {
        description: "the caller's Sieve script, or null",
        resolve: (_args, principal, plugin) => plugin.store.get<string>(scriptKey(principal.address)),
      },
    },
    mutations: {
      setScript: {
        description: "sets (or, with an empty script, removes) the caller's Sieve script: { script }",
        resolve: async (args, principal, plugin) => {
          if (typeof args.script !== 'string') throw new PluginError('BAD_USER_INPUT', 'script: text');
          if (!args.script.trim()) {
            await plugin.store.delete(scriptKey(principal.address));
            return null;
          }
          try {
            compile(args.script);
          } catch (error) {
            if (error instanceof SieveSyntaxError) throw new PluginError('BAD_USER_INPUT', `script: ${error.message}`);
            throw error;
          }
          await plugin.store.set(scriptKey(principal.address), args.script);
          return args.script;
        },
      },
    },
  },
});
