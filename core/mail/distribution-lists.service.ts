import { Injectable } from '@nestjs/common';

/** Who is sending, as a list's send policy sees them. */
export interface ListSender {
  /** The MAIL FROM address ('' for the null sender). */
  envelope: string;
  /** The address of the account that authenticated this SMTP session, null for unauthenticated mail. */
  authenticated: string | null;
}

/**
 * A list's verdict on one sender. A union so that moderation can join as `{ action: 'hold'; ... }` without changing
 * the callers that already handle `accept` and `refuse`.
 */
export type ListSendDecision =
  | { action: 'accept' }
  /** Refused at RCPT with 550 5.7.1 and this text. */
  | { action: 'refuse'; text: string };

/**
 * Lists whose members are computed at delivery (e.g. the organisation module's department lists). A provider answers
 * only for the addresses it owns and null for every other one; static lists stay aliases in core.
 */
export interface DistributionListProvider {
  /** The member addresses of `address` when it names a list of this provider, else null. */
  members(address: string): Promise<readonly string[] | null>;
  /** Whether `sender` may post to the list `address`; null when the provider does not own `address`. */
  mayPost(address: string, sender: ListSender): Promise<ListSendDecision | null>;
}

/**
 * The extension point of recipient resolution for computed lists: feature modules register a provider at start-up,
 * and the recipient resolver asks them before the alias table. Without providers it costs nothing.
 */
@Injectable()
export class DistributionLists {
  private readonly providers: DistributionListProvider[] = [];

  register(provider: DistributionListProvider): () => void {
    this.providers.push(provider);
    return () => {
      const index = this.providers.indexOf(provider);
      if (index >= 0) this.providers.splice(index, 1);
    };
  }

  /** The members of a computed list and the provider that owns it; null when no provider owns `address`. */
  async expand(address: string): Promise<readonly string[] | null> {
    for (const provider of this.providers) {
      const members = await provider.members(address);
      if (members) return members;
    }
    return null;
  }

  /** The first refusal among the lists a recipient crossed, or accept when every one of them admits the sender. */
  async mayPost(lists: readonly string[], sender: ListSender): Promise<ListSendDecision> {
    for (const list of lists) {
      for (const provider of this.providers) {
        const decision = await provider.mayPost(list, sender);
        if (!decision) continue;
        if (decision.action !== 'accept') return decision;
        break;
      }
    }
    return { action: 'accept' };
  }
}
