import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_BUS, type EventBus } from './event-bus.js';
import { BUS_SUBJECT_PREFIX, NetworkedEventBus, type BusEnvelope } from './networked-event-bus.js';

/** Receives other nodes' change events from the bus and hands them to this node's listeners. */
@Controller()
export class BusEventsController {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  private receive(name: Parameters<NetworkedEventBus['receive']>[0], envelope: BusEnvelope): void {
    if (this.bus instanceof NetworkedEventBus) this.bus.receive(name, envelope);
  }

  @EventPattern(`${BUS_SUBJECT_PREFIX}message.added`)
  messageAdded(@Payload() envelope: BusEnvelope<'message.added'>): void {
    this.receive('message.added', envelope);
  }

  @EventPattern(`${BUS_SUBJECT_PREFIX}flags.changed`)
  flagsChanged(@Payload() envelope: BusEnvelope<'flags.changed'>): void {
    this.receive('flags.changed', envelope);
  }

  @EventPattern(`${BUS_SUBJECT_PREFIX}message.expunged`)
  messageExpunged(@Payload() envelope: BusEnvelope<'message.expunged'>): void {
    this.receive('message.expunged', envelope);
  }

  @EventPattern(`${BUS_SUBJECT_PREFIX}mailbox.changed`)
  mailboxChanged(@Payload() envelope: BusEnvelope<'mailbox.changed'>): void {
    this.receive('mailbox.changed', envelope);
  }

  @EventPattern(`${BUS_SUBJECT_PREFIX}org.changed`)
  orgChanged(@Payload() envelope: BusEnvelope<'org.changed'>): void {
    this.receive('org.changed', envelope);
  }

  @EventPattern(`${BUS_SUBJECT_PREFIX}credential.revoked`)
  credentialRevoked(@Payload() envelope: BusEnvelope<'credential.revoked'>): void {
    this.receive('credential.revoked', envelope);
  }

  @EventPattern(`${BUS_SUBJECT_PREFIX}plugin.changed`)
  pluginChanged(@Payload() envelope: BusEnvelope<'plugin.changed'>): void {
    this.receive('plugin.changed', envelope);
  }
}
