// A1 THREAD REFERENCES UTF-8 ALL   /   A1 UID THREAD ORDEREDSUBJECT US-ASCII SINCE 1-Jan-2024
import { defineCommand, no, ok } from '../imap-command.js';
import { BadArguments } from '../protocol/command-args.js';
import { atom } from '../protocol/imap-writer.js';
import { parseSearch } from '../protocol/search-query.js';
import { findMessages } from '../search/search-runner.js';
import type { SearchCandidate } from '../search/search-evaluator.js';
import { formatThreads, orderedSubjectThreads, referenceThreads, type ThreadMessage } from '../search/threading.js';
import { decodeSearchString } from './search.command.js';

export const threadCommand = defineCommand({
  verbs: ['THREAD', 'UID THREAD'],
  states: ['selected'],
  allowsExpunge: false,
  parse(args) {
    const algorithm = args.atom('threading algorithm').toUpperCase();
    if (algorithm !== 'REFERENCES' && algorithm !== 'ORDEREDSUBJECT')
      throw new BadArguments(`Unknown threading algorithm ${algorithm.slice(0, 20)}`);
    const charset = args.string('charset');
    const rest = [];
    while (args.remaining > 0) rest.push(args.any());
    const query = parseSearch(rest, (bytes) => decodeSearchString(bytes, charset));
    if (typeof query === 'string') throw new BadArguments(query);
    return { algorithm, charset, key: query.key };
  },
  async run(ctx, { algorithm, charset, key }) {
    if (decodeSearchString(Buffer.alloc(0), charset) === null) return no('Unsupported charset', 'BADCHARSET (UTF-8 US-ASCII)');
    const found = (await findMessages(ctx, key, 'detail')).map(threadMessage);
    const threads = algorithm === 'REFERENCES' ? referenceThreads(found) : orderedSubjectThreads(found);
    const text = formatThreads(threads, (message) => (ctx.verb === 'UID THREAD' ? message.meta.uid : message.seq));
    ctx.untagged(text ? [atom('THREAD'), atom(text)] : [atom('THREAD')]);
    return ok(`${ctx.verb} completed`);
  },
});

function threadMessage(candidate: SearchCandidate): ThreadMessage<SearchCandidate> {
  const structure = candidate.detail?.structure;
  return {
    item: candidate,
    order: candidate.seq,
    sentDate: candidate.meta.sentDate,
    subject: structure?.envelope.subject ?? null,
    messageId: structure?.envelope.messageId ?? null,
    references: structure?.references ?? [],
    inReplyTo: structure?.inReplyTo ?? null,
  };
}
