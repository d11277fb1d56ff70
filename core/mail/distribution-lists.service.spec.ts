import { describe, expect, it } from 'vitest';
import { DistributionLists, type DistributionListProvider, type ListSender } from './distribution-lists.service.js';

/** A provider owning one list, admitting only `allowed` (authenticated). */
function provider(list: string, members: string[], allowed: string | null): DistributionListProvider {
  return {
    members: async (address) => (address === list ? members : null),
    mayPost: async (address, sender: ListSender) => {
      if (address !== list) return null;
      return allowed === null || sender.authenticated === allowed ? { action: 'accept' } : { action: 'refuse', text: `not you (${list})` };
    },
  };
}

describe('DistributionLists', () => {
  it('expands only the addresses a provider owns', async () => {
    const lists = new DistributionLists();
    expect(await lists.expand('sales@x.example')).toBeNull();
    const unregister = lists.register(provider('sales@x.example', ['a@x.example', 'b@x.example'], null));
    expect(await lists.expand('sales@x.example')).toEqual(['a@x.example', 'b@x.example']);
    expect(await lists.expand('other@x.example')).toBeNull();
    unregister();
    expect(await lists.expand('sales@x.example')).toBeNull();
  });

  it('answers with the first refusal among the lists a recipient crossed', async () => {
    const lists = new DistributionLists();
    lists.register(provider('open@x.example', [], null));
    lists.register(provider('closed@x.example', [], 'boss@x.example'));
    const stranger = { envelope: 'someone@remote.example', authenticated: null };
    expect(await lists.mayPost(['open@x.example'], stranger)).toEqual({ action: 'accept' });
    expect(await lists.mayPost(['open@x.example', 'closed@x.example'], stranger)).toEqual({
      action: 'refuse',
      text: 'not you (closed@x.example)',
    });
    expect(await lists.mayPost(['closed@x.example'], { envelope: 'boss@x.example', authenticated: 'boss@x.example' })).toEqual({
      action: 'accept',
    });
  });
});
