import { Injectable } from '@nestjs/common';
import type { AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { activity } from '../../../core/events/activity-events.js';
import { forbidden } from '../../../core/graphql/admin.guard.js';
import { MessageService } from '../../../core/mail/message.service.js';
import { BounceService } from '../../../core/outbound/bounce.service.js';
import { OutboundQueueService } from '../../../core/outbound/outbound-queue.service.js';
import type {
  AdminQueuedMessageDetailModel,
  AdminQueuedMessageModel,
  AdminQueueFilterInput,
  AdminTraceEventModel,
  AdminTraceFilterInput,
} from '../models/admin-queue.model.js';
import { StatsRepository } from '../repositories/stats.repository.js';
import { ActivityRecorder } from './activity-recorder.service.js';
import { AdminAuditService } from './admin-audit.service.js';
import { badInput, notFound } from './admin-errors.js';
import { ADMIN_LIMITS } from './admin-limits.js';

type QueueRow = Awaited<ReturnType<OutboundQueueService['list']>>[number];

/** The header block shown with a queued message; a longer one is cut. */
const MAX_HEADER_BYTES = 32 * 1024;

function toModel(row: QueueRow): AdminQueuedMessageModel {
  return {
    id: row.id,
    sender: row.sender,
    recipients: row.recipients,
    domain: row.domain,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: new Date(row.nextAttemptAt),
    expiresAt: new Date(row.expiresAt),
    lastError: row.lastError,
    createdAt: new Date(row.createdAt),
  };
}

/** The header block of a raw message: up to the first empty line. */
export function headerBlock(raw: Buffer): string {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, Math.min(end < 0 ? raw.length : end, MAX_HEADER_BYTES));
  return head.toString('utf8');
}

function checkLength(values: (string | undefined)[]): void {
  for (const value of values)
    if (value !== undefined && value.length > ADMIN_LIMITS.maxFilterLength)
      throw badInput(`a filter may have at most ${ADMIN_LIMITS.maxFilterLength} characters`);
}

/**
 * The outbound queue and the message trace. Both show mail of every domain (a queue row may hold senders and
 * recipients of several), so they are for system admins; a domain admin gets FORBIDDEN.
 */
@Injectable()
export class AdminQueueService {
  constructor(
    private readonly queue: OutboundQueueService,
    private readonly bounces: BounceService,
    private readonly messages: MessageService,
    private readonly stats: StatsRepository,
    private readonly recorder: ActivityRecorder,
    private readonly audit: AdminAuditService,
  ) {}

  async list(principal: AdminPrincipal, filter: AdminQueueFilterInput, limit: number): Promise<AdminQueuedMessageModel[]> {
    this.systemOnly(principal);
    checkLength([filter.sender, filter.recipient]);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > ADMIN_LIMITS.maxPageSize)
      throw badInput(`limit must be 1 to ${ADMIN_LIMITS.maxPageSize}`);
    const sender = filter.sender?.trim().toLowerCase();
    const recipient = filter.recipient?.trim().toLowerCase();
    return (await this.queue.list())
      .filter(
        (row) =>
          (!sender || row.sender.toLowerCase().includes(sender)) &&
          (!recipient || row.recipients.some((address) => address.toLowerCase().includes(recipient))) &&
          (!filter.failing || row.lastError !== null),
      )
      .slice(0, limit)
      .map(toModel);
  }

  async detail(principal: AdminPrincipal, id: number): Promise<AdminQueuedMessageDetailModel> {
    const row = await this.row(principal, id);
    const raw = await this.messages.readRaw(row.blobId).catch(() => null);
    return { message: toModel(row), headers: raw ? headerBlock(raw) : '' };
  }

  async retry(principal: AdminPrincipal, id: number, clientAddress: string): Promise<boolean> {
    const row = await this.row(principal, id);
    if (!(await this.queue.retry(id))) throw notFound();
    await this.audit.record(principal, clientAddress, 'queue.retry', `#${id}`, { sender: row.sender, recipients: row.recipients });
    return true;
  }

  async delete(principal: AdminPrincipal, id: number, clientAddress: string): Promise<boolean> {
    const row = await this.row(principal, id);
    if (!(await this.queue.delete(id))) throw notFound();
    await this.audit.record(principal, clientAddress, 'queue.delete', `#${id}`, { sender: row.sender, recipients: row.recipients });
    return true;
  }

  /** Gives up on the message now: the sender gets a failure report (RFC 3464), the row leaves the queue. */
  async bounce(principal: AdminPrincipal, id: number, clientAddress: string): Promise<boolean> {
    const row = await this.row(principal, id);
    const response = '550 5.0.0 returned to sender by the administrator';
    const raw = await this.messages.readRaw(row.blobId);
    if (!(await this.queue.delete(id))) throw notFound();
    await this.bounces.bounce(
      row,
      row.recipients.map((recipient) => ({ recipient, status: 'failed' as const, response, remoteMta: null })),
      raw,
      false,
    );
    activity.emit('outbound.attempt', { queueId: id, sender: row.sender, recipients: row.recipients, result: 'bounced', response });
    await this.audit.record(principal, clientAddress, 'queue.bounce', `#${id}`, { sender: row.sender, recipients: row.recipients });
    return true;
  }

  async trace(principal: AdminPrincipal, filter: AdminTraceFilterInput, limit: number): Promise<AdminTraceEventModel[]> {
    this.systemOnly(principal);
    checkLength([filter.sender, filter.recipient, filter.messageId, filter.subject]);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > ADMIN_LIMITS.maxPageSize)
      throw badInput(`limit must be 1 to ${ADMIN_LIMITS.maxPageSize}`);
    await this.recorder.flush();
    const rows = await this.stats.trace(
      {
        sender: filter.sender?.trim().toLowerCase() || undefined,
        recipient: filter.recipient?.trim().toLowerCase() || undefined,
        messageId: filter.messageId?.trim() || undefined,
        subject: filter.subject?.trim() || undefined,
        from: filter.from?.getTime(),
        to: filter.to?.getTime(),
      },
      limit,
    );
    return rows.map((row) => ({ ...row, at: new Date(row.at) }));
  }

  private systemOnly(principal: AdminPrincipal): void {
    if (principal.role !== 'system_admin') throw forbidden();
  }

  private async row(principal: AdminPrincipal, id: number): Promise<QueueRow> {
    this.systemOnly(principal);
    const row = (await this.queue.list()).find((item) => item.id === id);
    if (!row) throw notFound();
    return row;
  }
}
