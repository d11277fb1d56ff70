import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '../../../core/events/event-bus.js';

/** Publishes `org.changed` after a change committed, on this node and (with a networked bus) on every other one. */
@Injectable()
export class OrgEvents {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  departmentChanged(departmentId: number, change: string): void {
    this.bus.emit('org.changed', { kind: 'department', change, departmentId, accountId: null });
  }

  membershipChanged(accountId: number | null, change: string, departmentId: number | null = null): void {
    this.bus.emit('org.changed', { kind: 'membership', change, departmentId, accountId });
  }
}
