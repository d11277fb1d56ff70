// A1 LIST "" "*"   /   A1 LIST (SUBSCRIBED) "" ("INBOX" "Sent/%") RETURN (CHILDREN SPECIAL-USE STATUS (MESSAGES))
import type { MailboxInfo } from '../imap-backend.js';
import { defineCommand, ok, type CommandContext } from '../imap-command.js';
import { BadArguments, type Args } from '../protocol/command-args.js';
import type { ImapValue } from '../protocol/imap-values.js';
import { atom, type OutValue } from '../protocol/imap-writer.js';
import { IMAP_LIMITS } from '../protocol/imap-limits.js';
import { mailboxPatternMatcher } from '../protocol/mailbox-pattern.js';
import { decodeModifiedUtf7 } from '../protocol/modified-utf7.js';
import { parseStatusItems, statusResponse, type StatusItem } from './status-items.js';

interface ListArgs {
  lsub: boolean;
  reference: Buffer;
  patterns: Buffer[];
  subscribedOnly: boolean;
  specialUseOnly: boolean;
  recursiveMatch: boolean;
  returnSubscribed: boolean;
  returnStatus: StatusItem[] | null;
}

function parseList(args: Args, verb: string): ListArgs {
  const result: ListArgs = {
    lsub: verb === 'LSUB',
    reference: Buffer.alloc(0),
    patterns: [],
    subscribedOnly: verb === 'LSUB',
    specialUseOnly: false,
    recursiveMatch: false,
    returnSubscribed: false,
    returnStatus: null,
  };
  const selection = verb === 'LIST' ? args.optionalList() : null;
  for (const option of selection ?? []) {
    const name = option.kind === 'atom' ? option.value.toUpperCase() : '';
    if (name === 'SUBSCRIBED') result.subscribedOnly = result.returnSubscribed = true;
    else if (name === 'SPECIAL-USE') result.specialUseOnly = true;
    else if (name === 'RECURSIVEMATCH') result.recursiveMatch = true;
    else if (name !== 'REMOTE') throw new BadArguments(`Unknown LIST selection option ${name.slice(0, 20)}`);
  }
  if (result.recursiveMatch && !result.subscribedOnly) throw new BadArguments('RECURSIVEMATCH needs another selection option');
  result.reference = args.bytes('reference');
  const pattern = args.any('mailbox pattern');
  result.patterns = (pattern.kind === 'list' ? pattern.items : [pattern]).map(patternBytes);
  checkPatternSize(result.reference, result.patterns);
  if (verb === 'LIST' && args.peekAtom() === 'RETURN') {
    args.atom();
    const options = args.list('return options');
    for (let i = 0; i < options.length; i++) {
      const option = options[i];
      const name = option.kind === 'atom' ? option.value.toUpperCase() : '';
      if (name === 'SUBSCRIBED') result.returnSubscribed = true;
      else if (name === 'STATUS') {
        const items = options[++i];
        if (items?.kind !== 'list') throw new BadArguments('RETURN STATUS needs a list of items');
        result.returnStatus = parseStatusItems(items.items);
      } else if (name !== 'CHILDREN' && name !== 'SPECIAL-USE') throw new BadArguments(`Unknown LIST return option ${name.slice(0, 20)}`);
    }
  }
  args.end();
  return result;
}

/** Matching costs names × pattern length: both the count and the total length of the patterns are bounded. */
function checkPatternSize(reference: Buffer, patterns: readonly Buffer[]): void {
  if (patterns.length > IMAP_LIMITS.maxListPatterns)
    throw new BadArguments(`Too many mailbox patterns (limit ${IMAP_LIMITS.maxListPatterns})`);
  const octets = patterns.reduce((sum, pattern) => sum + reference.length + pattern.length, 0);
  if (octets > IMAP_LIMITS.maxListPatternOctets) {
    throw new BadArguments(`Mailbox patterns too long (limit ${IMAP_LIMITS.maxListPatternOctets} octets with the reference)`);
  }
}

function patternBytes(value: ImapValue): Buffer {
  if (value.kind === 'list') throw new BadArguments('Invalid mailbox pattern');
  return value.kind === 'atom' ? Buffer.from(value.value, 'utf8') : value.value;
}

export const listCommand = defineCommand({
  verbs: ['LIST', 'LSUB'],
  states: ['authenticated', 'selected'],
  parse: parseList,
  async run(ctx, args) {
    const reference = wireText(ctx, args.reference);
    const patterns = args.patterns.map((raw) => wireText(ctx, raw));
    // RFC 3501 §6.3.8: an empty pattern asks for the hierarchy delimiter.
    if (patterns.length === 1 && patterns[0] === '' && !args.lsub) {
      ctx.untagged([atom(args.lsub ? 'LSUB' : 'LIST'), [atom('\\Noselect')], '/', '']);
      return ok(`${ctx.verb} completed`);
    }
    const mailboxes = await ctx.backend.listMailboxes(ctx.session.user().id);
    const matchers = patterns.map((pattern) => mailboxPatternMatcher(reference + pattern));
    const matches = (path: string) => matchers.some((matcher) => matcher(path));
    const parents = parentPaths(mailboxes.map((mailbox) => mailbox.path));
    // Subscribed names without a mailbox count only where subscriptions are asked for (RFC 5258 §3.4).
    const dangling = args.subscribedOnly ? await ctx.backend.danglingSubscriptions(ctx.session.user().id) : [];
    const subscribed = [...mailboxes.filter((mailbox) => mailbox.subscribed).map((mailbox) => mailbox.path), ...dangling];
    const subscribedBelow = args.subscribedOnly ? parentPaths(subscribed) : new Set<string>();
    // LSUB "" "%" with "a/b" subscribed and "a" not: "a" is shown \Noselect, so the client finds its way down
    // (RFC 3501 §6.3.9); only where a subscribed descendant is not listed itself.
    const unlistedBelow = args.lsub ? parentPaths(subscribed.filter((path) => !matches(path))) : new Set<string>();
    for (const mailbox of mailboxes) {
      if (!matches(mailbox.path)) continue;
      if (args.specialUseOnly && !mailbox.specialUse) continue;
      const verb = atom(args.lsub ? 'LSUB' : 'LIST');
      const name = ctx.encodeMailbox(mailbox.path);
      if (args.subscribedOnly && !mailbox.subscribed) {
        if (args.lsub && unlistedBelow.has(mailbox.path)) ctx.untagged([verb, [atom('\\Noselect')], '/', name]);
        // RFC 5258 §3: RECURSIVEMATCH also lists a mailbox that is not subscribed itself but has a subscribed
        // descendant, and says so with CHILDINFO.
        else if (args.recursiveMatch && subscribedBelow.has(mailbox.path)) {
          ctx.untagged([verb, attributes(mailbox, parents, args).map(atom), '/', name, CHILDINFO_SUBSCRIBED]);
        }
        continue;
      }
      const childInfo = args.recursiveMatch && subscribedBelow.has(mailbox.path) ? [CHILDINFO_SUBSCRIBED] : [];
      ctx.untagged([verb, attributes(mailbox, parents, args).map(atom), '/', name, ...childInfo]);
      if (args.returnStatus) ctx.untagged(await statusResponse(ctx, mailbox, args.returnStatus));
    }
    for (const path of dangling) {
      if (!matches(path) || args.specialUseOnly) continue;
      const childInfo = args.recursiveMatch && subscribedBelow.has(path) ? [CHILDINFO_SUBSCRIBED] : [];
      const flags = args.lsub ? [] : [atom('\\NonExistent'), atom('\\Subscribed')];
      ctx.untagged([atom(args.lsub ? 'LSUB' : 'LIST'), flags, '/', ctx.encodeMailbox(path), ...childInfo]);
    }
    return ok(`${ctx.verb} completed`);
  },
});

/** RFC 5258 §3.5 extended data: the mailbox has subscribed descendants. */
const CHILDINFO_SUBSCRIBED: OutValue = ['CHILDINFO', ['SUBSCRIBED']];

function wireText(ctx: CommandContext, raw: Buffer): string {
  const text = raw.toString('utf8');
  if (ctx.session.utf8 || !text.includes('&')) return text;
  return decodeModifiedUtf7(text) ?? text;
}

/** Every path that has a child among `paths`, found in one pass rather than one scan per mailbox. */
function parentPaths(paths: readonly string[]): Set<string> {
  const parents = new Set<string>();
  for (const path of paths) {
    for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) parents.add(path.slice(0, slash));
  }
  return parents;
}

function attributes(mailbox: MailboxInfo, parents: ReadonlySet<string>, args: ListArgs): string[] {
  const list: string[] = [];
  const hasChildren = parents.has(mailbox.path);
  if (!args.lsub) list.push(hasChildren ? '\\HasChildren' : '\\HasNoChildren');
  if (mailbox.specialUse) list.push(mailbox.specialUse);
  if (args.returnSubscribed && mailbox.subscribed) list.push('\\Subscribed');
  return list;
}
