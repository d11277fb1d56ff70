import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import { EVENT_BUS, type EventBus, type Unsubscribe } from '../../../core/events/event-bus.js';
import {
  DistributionLists,
  type DistributionListProvider,
  type ListSendDecision,
  type ListSender,
} from '../../../core/mail/distribution-lists.service.js';
import { DepartmentRepository, type Department } from '../repositories/department.repository.js';

/**
 * Department lists as computed distribution lists: an address that expands at delivery to the department's current
 * members (optionally with its sub-departments, optionally primary members only), guarded by the list's send policy.
 * Which addresses are lists is cached per node and dropped on every `org.changed`, so an ordinary recipient costs
 * no statement here.
 */
@Injectable()
export class DepartmentListsService implements DistributionListProvider, OnModuleInit, OnModuleDestroy {
  private unregister: (() => void) | null = null;
  private unsubscribe: Unsubscribe | null = null;
  private listAddresses: Promise<Map<string, number>> | null = null;

  constructor(
    private readonly lists: DistributionLists,
    private readonly departments: DepartmentRepository,
    private readonly accounts: AccountsService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.unregister = this.lists.register(this);
    this.unsubscribe = this.bus.on('org.changed', () => {
      this.listAddresses = null;
    });
  }

  onModuleDestroy(): void {
    this.unregister?.();
    this.unsubscribe?.();
  }

  async members(address: string): Promise<readonly string[] | null> {
    const list = await this.list(address);
    return list ? this.departments.listMemberAddresses(list) : null;
  }

  async mayPost(address: string, sender: ListSender): Promise<ListSendDecision | null> {
    const list = await this.list(address);
    if (!list) return null;
    const refuse = (text: string): ListSendDecision => ({ action: 'refuse', text: `${text} (${address})` });
    // Only an authenticated session proves who sends; an envelope sender alone is taken only for named outsiders.
    const account = sender.authenticated ? await this.accounts.findUser(sender.authenticated) : null;
    switch (list.listPolicy) {
      case 'anyone':
        return { action: 'accept' };
      case 'organisation':
        return account?.domainId === list.domainId
          ? { action: 'accept' }
          : refuse('Only authenticated users of the organisation may send to this list');
      case 'members':
        return account && (await this.departments.isListMember(list, account.id))
          ? { action: 'accept' }
          : refuse('Only members may send to this list');
      case 'senders': {
        if (
          account &&
          ((await this.departments.isListManager(list, account.id)) || (await this.departments.isListSender(list.id, account.address)))
        )
          return { action: 'accept' };
        const outsider =
          !account && sender.envelope && !(await this.accounts.findDomain(sender.envelope.slice(sender.envelope.lastIndexOf('@') + 1)));
        if (outsider && (await this.departments.isListSender(list.id, sender.envelope.toLowerCase()))) return { action: 'accept' };
        return refuse('Only named senders and managers may send to this list');
      }
    }
  }

  private async list(address: string): Promise<Department | null> {
    this.listAddresses ??= this.departments.listAddresses();
    const id = (await this.listAddresses).get(address.toLowerCase());
    return id === undefined ? null : this.departments.find(id);
  }
}
