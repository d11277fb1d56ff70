import { Injectable } from '@nestjs/common';
import type { AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import { forbidden } from '../../../core/graphql/admin.guard.js';
import { OutboundQueueService } from '../../../core/outbound/outbound-queue.service.js';
import type { AdminDashboardModel, AdminStatsPointModel } from '../models/admin-dashboard.model.js';
import { PERIOD_MS, StatsRepository, type StatsPeriod } from '../repositories/stats.repository.js';
import { ActivityRecorder, type StatsMetric } from './activity-recorder.service.js';

const METRICS: readonly StatsMetric[] = ['received', 'sent', 'refused', 'bounced', 'login', 'login_failed'];
const TOP_LIMIT = 10;

/** Points for each bucket of the window, zeros where nothing happened, oldest first. */
export function fillSeries(
  rows: readonly { metric: string; bucket: number; count: number }[],
  period: StatsPeriod,
  points: number,
  now: number,
): AdminStatsPointModel[] {
  const size = PERIOD_MS[period];
  const last = Math.floor(now / size) * size;
  const byBucket = new Map<number, AdminStatsPointModel>();
  const series: AdminStatsPointModel[] = [];
  for (let index = points - 1; index >= 0; index--) {
    const at = last - index * size;
    const point = { at: new Date(at), received: 0, sent: 0, refused: 0, bounced: 0, logins: 0, failedLogins: 0 };
    byBucket.set(at, point);
    series.push(point);
  }
  for (const row of rows) {
    const point = byBucket.get(row.bucket);
    if (!point) continue;
    if (row.metric === 'login') point.logins += row.count;
    else if (row.metric === 'login_failed') point.failedLogins += row.count;
    else if (row.metric === 'received' || row.metric === 'sent' || row.metric === 'refused' || row.metric === 'bounced')
      point[row.metric] += row.count;
  }
  return series;
}

/** The dashboard: server-wide figures, so for system admins only. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly stats: StatsRepository,
    private readonly recorder: ActivityRecorder,
    private readonly accounts: AccountsService,
    private readonly queue: OutboundQueueService,
  ) {}

  async dashboard(principal: AdminPrincipal): Promise<AdminDashboardModel> {
    if (principal.role !== 'system_admin') throw forbidden();
    await this.recorder.flush();
    const now = Date.now();
    const sinceDay = Math.floor(now / PERIOD_MS.day) * PERIOD_MS.day - 29 * PERIOD_MS.day;
    const [hourly, daily, queued, domains, users, topSenders, topReceivers] = await Promise.all([
      this.stats.series('hour', METRICS, now - 24 * PERIOD_MS.hour),
      this.stats.series('day', METRICS, sinceDay),
      this.queue.list(),
      this.accounts.listDomains(),
      this.accounts.listUsers(),
      this.stats.top('sender', sinceDay, TOP_LIMIT),
      this.stats.top('receiver', sinceDay, TOP_LIMIT),
    ]);
    const storage = new Map(domains.map((domain) => [domain.id, { domain: domain.name, users: 0, usedBytes: 0 }]));
    for (const user of users) {
      const entry = storage.get(user.domainId);
      if (!entry) continue;
      entry.users++;
      entry.usedBytes += user.usedBytes;
    }
    return {
      hourly: fillSeries(hourly, 'hour', 24, now),
      daily: fillSeries(daily, 'day', 30, now),
      queueSize: queued.length,
      storage: [...storage.values()].sort((a, b) => b.usedBytes - a.usedBytes || a.domain.localeCompare(b.domain)),
      topSenders: topSenders.map((row) => ({ address: row.address, messages: row.count })),
      topReceivers: topReceivers.map((row) => ({ address: row.address, messages: row.count })),
    };
  }
}
