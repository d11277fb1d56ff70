import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A subscription to a name that has no mailbox: subscribed and then deleted, or subscribed before it was made.
 * RFC 3501 §6.3.6: the server must not drop a name from the subscriptions because its mailbox is gone; LIST
 * (SUBSCRIBED) shows it as \NonExistent (RFC 5258 §3.4). An existing mailbox's subscription is its `subscribed`
 * column; the row goes when a mailbox of that name is made again.
 */
@Entity('dangling_subscriptions')
@Index(['accountId', 'path'], { unique: true })
export class DanglingSubscriptionEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  accountId: number;

  /** Canonical mailbox path, as `mailboxes.path`. */
  @Column({ type: 'varchar', length: 512 })
  path: string;
}
