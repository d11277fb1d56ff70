import type { Logger } from 'pino';

/** What happened to a message at one step of its way: taken in, refused, stored, handed on, delayed, bounced. */
export type MessageEventKind = 'accepted' | 'refused' | 'sent' | 'deferred' | 'bounced' | 'expired';

export interface MessageEvent {
  event: MessageEventKind;
  /**
   * The id the SMTP reply gave (`250 Ok: queued as ID`): the start of the stored blob's name. The outbound attempts of
   * the same message carry it too, so one grep traces a message from intake to the last relay.
   */
  queueId?: string;
  messageId?: string;
  from: string;
  to: readonly string[];
  size?: number;
  /** The client's address at intake. */
  client?: string;
  /** Where it went: `local` for mailboxes, `host[address]` of the remote server. */
  relay?: string;
  /** Seconds since the message arrived. */
  delay?: number;
  /** The reply or reason: `250 2.0.0 Ok`, `550 5.1.1 ...`. */
  status?: string;
}

/**
 * One line per message event, in the shape operators grep Postfix logs for:
 * `9f86d081884c7d65: from=<a@x>, to=<b@y>, size=4120, msgid=<...>, client=203.0.113.9, relay=local, delay=0.02, status=accepted (...)`.
 * The same fields go into the JSON log record, for tools that read structure rather than text.
 */
export function messageEventLine(event: MessageEvent): string {
  const parts = [`from=<${event.from}>`, `to=<${event.to.join('>,<')}>`];
  if (event.size !== undefined) parts.push(`size=${event.size}`);
  if (event.messageId) parts.push(`msgid=${event.messageId.startsWith('<') ? event.messageId : `<${event.messageId}>`}`);
  if (event.client) parts.push(`client=${event.client}`);
  if (event.relay) parts.push(`relay=${event.relay}`);
  if (event.delay !== undefined) parts.push(`delay=${event.delay.toFixed(2)}`);
  parts.push(`status=${event.event}${event.status ? ` (${event.status})` : ''}`);
  return `${event.queueId ?? 'NOQUEUE'}: ${parts.join(', ')}`;
}

export function logMessageEvent(logger: Logger, event: MessageEvent): void {
  // The line is built for every message; not at all when info is not logged (as in benchmarks and tests).
  if (!logger.isLevelEnabled('info')) return;
  logger.info({ message: event }, messageEventLine(event));
}

/** The queue id of a stored message: the first 16 hex digits of its blob's name, as the SMTP reply gives it. */
export function queueIdOf(blobId: string): string {
  return blobId.slice(0, 16);
}
