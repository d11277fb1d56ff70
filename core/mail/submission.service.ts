import { Inject, Injectable } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { parseAddress } from '../envelope/address.js';
import { LOGGER } from '../logging/logger.js';
import { pluginHeaders } from '../plugin-host/plugin-headers.js';
import { PluginHost } from '../plugin-host/plugin-host.service.js';
import { DeliveryService, localAndRemote } from './delivery.service.js';
import type { DeliveryOutcome, DeliveryRefusal, DeliveryRequest, LocalRecipient } from './delivery.types.js';
import type { ListSender } from './distribution-lists.service.js';
import { RecipientResolver } from './recipient-resolver.service.js';
import { SendRateService } from './send-rate.service.js';

/** The authenticated user who sends. */
export interface Submitter {
  id: number;
  address: string;
}

export interface SubmissionRequest {
  user: Submitter;
  /** The recipients as the user gave them (RCPT TO, or To/Cc/Bcc), for message.send. */
  recipients: readonly string[];
  /** The message's header block (or more), for message.send's headers. */
  head: Buffer;
  size: number;
  /** What to deliver once message.send let the message through (`via`: 'submission' or 'graphql'). */
  delivery: DeliveryRequest;
}

export type SubmissionOutcome =
  | Extract<DeliveryOutcome, { kind: 'accepted' }>
  /** message.send discarded it: accepted, delivered to nobody. */
  | { kind: 'discarded' }
  | { kind: 'refused'; refusal: DeliveryRefusal };

export type RecipientRoute =
  | { ok: true; local: LocalRecipient[]; remote: string[] }
  | { ok: false; address: string; reason: 'invalid' | 'unknown' }
  /** A computed list's send policy refuses the sender (DistributionLists), with its text. */
  | { ok: false; address: string; reason: 'policy'; text: string };

/**
 * Authenticated sending, the same over SMTP submission (587/465) and GraphQL sendMessage: the per-user send rate,
 * the sender policy (a user sends as their own address or one that delivers to them), recipient resolution, the
 * `message.send` hook with every recipient, then DeliveryService. The surfaces check the rate and the sender when
 * their protocol lets them refuse early (SMTP at MAIL FROM), and call `submit` with the message.
 */
@Injectable()
export class SubmissionService {
  constructor(
    private readonly recipients: RecipientResolver,
    private readonly rate: SendRateService,
    private readonly plugins: PluginHost,
    private readonly delivery: DeliveryService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** False when the user sent as many messages as the hourly limit allows. */
  rateAllowed(user: Submitter): Promise<boolean> {
    return this.rate.allowed(user.id);
  }

  /** The sender policy: the user's own address, or an address that delivers to them (an alias, a list they are on). */
  async ownsAddress(user: Submitter, address: string): Promise<boolean> {
    const parsed = parseAddress(address);
    if (!parsed) return false;
    if (parsed.normalized === user.address) return true;
    const resolution = await this.recipients.resolve(parsed.normalized);
    return resolution.kind === 'local' && resolution.accounts.some((owner) => owner.id === user.id);
  }

  /**
   * Local accounts (each once) and remote addresses of the recipients; the first that reaches no one, or names a
   * list whose send policy refuses `sender`, refuses all.
   */
  async route(addresses: readonly string[], sender: ListSender | null = null): Promise<RecipientRoute> {
    const local = new Map<number, LocalRecipient>();
    const remote = new Set<string>();
    for (const address of addresses) {
      const resolution = await this.recipients.resolve(address);
      if (resolution.kind === 'invalid' || resolution.kind === 'unknown') return { ok: false, address, reason: resolution.kind };
      const posting =
        sender && resolution.kind === 'local' && resolution.lists ? await this.recipients.lists.mayPost(resolution.lists, sender) : null;
      if (posting?.action === 'refuse') return { ok: false, address, reason: 'policy', text: posting.text };
      const route = localAndRemote(address, resolution)!;
      for (const recipient of route.local) if (!local.has(recipient.accountId)) local.set(recipient.accountId, recipient);
      route.remote.forEach((item) => remote.add(item));
    }
    return { ok: true, local: [...local.values()], remote: [...remote] };
  }

  /**
   * Runs message.send, then delivers. One meaning of its decisions on every surface: `reject` and `quarantine`
   * refuse the message (there is no quarantine for outgoing mail), `tempfail` defers it, `discard` accepts it and
   * delivers it to nobody. An accepted or discarded message counts against the send rate.
   */
  async submit(request: SubmissionRequest): Promise<SubmissionOutcome> {
    const { user } = request;
    if (this.plugins.has('message.send')) {
      const { decision, plugin } = await this.plugins.run('message.send', {
        user: user.address,
        sender: request.delivery.sender,
        recipients: [...request.recipients],
        headers: pluginHeaders(request.head),
        size: request.size,
      });
      if (decision.action === 'reject' || decision.action === 'quarantine') {
        return {
          kind: 'refused',
          refusal: { reason: 'policy', code: decision.action === 'reject' ? decision.code : undefined, text: decision.text },
        };
      }
      if (decision.action === 'tempfail') return { kind: 'refused', refusal: { reason: 'tempfail', text: decision.text } };
      if (decision.action === 'discard') {
        this.logger.info({ user: user.address, plugin, session: request.delivery.sessionId }, 'message.send discarded the message');
        await this.rate.record(user.id);
        return { kind: 'discarded' };
      }
    }
    const delivery = this.plugins.transforms('message.send') ? await this.transformed(request) : request.delivery;
    const outcome = await this.delivery.deliver(delivery);
    if (outcome.kind === 'accepted') await this.rate.record(user.id);
    return outcome;
  }

  /** The delivery with the message as the plugins' `message.send` transforms rewrote it (in memory from then on). */
  private async transformed(request: SubmissionRequest): Promise<DeliveryRequest> {
    const { source } = request.delivery;
    const raw =
      source.kind === 'memory' ? source.bytes : Buffer.concat([source.header, (await readFile(source.path)).subarray(source.offset)]);
    const rewritten = await this.plugins.transform('message.send', {
      user: request.user.address,
      sender: request.delivery.sender,
      recipients: [...request.recipients],
      raw,
    });
    return rewritten ? { ...request.delivery, source: { kind: 'memory', bytes: rewritten } } : request.delivery;
  }
}
