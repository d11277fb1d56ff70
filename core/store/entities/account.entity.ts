import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber, booleanColumn, commaList } from '../column-types.js';

export type AccountRole = 'user' | 'domain_admin' | 'system_admin';

@Entity('accounts')
export class AccountEntity {
  @PrimaryGeneratedColumn()
  id: number;

  /** Lower-case address, unique across the installation. */
  @Column({ type: 'varchar', length: 320, unique: true })
  address: string;

  @Index()
  @Column({ type: 'integer' })
  domainId: number;

  @Column({ type: 'varchar', length: 200, default: '' })
  displayName: string;

  @Column({ type: 'varchar', length: 200 })
  passwordHash: string;

  /** Bytes; 0 means unlimited. */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  quotaBytes: number;

  /** Kept counter of the bytes of every stored message of the account. */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  usedBytes: number;

  @Column({ type: 'boolean', default: true, transformer: booleanColumn })
  enabled: boolean;

  @Column({ type: 'varchar', length: 20, default: 'user' })
  role: AccountRole;

  /**
   * No longer read or written: login failures and locks live in `login_throttle`, per (login name, client
   * address), since migration LoginThrottle1764610000000. The columns stay so the schema needs no table rebuild.
   */
  @Column({ type: 'integer', default: 0 })
  failedLogins: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  lockedUntil: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  /** The highest UIDVALIDITY any mailbox of the account was given, deleted ones included (RFC 3501 §2.3.1.1). */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  lastUidValidity: number;

  /** The protocols the account may log in with: smtp, imap, pop3, webmail, mobile (see core/accounts/account-access.ts). */
  @Column({ type: 'varchar', length: 64, default: 'smtp,imap,pop3,webmail,mobile', transformer: commaList })
  protocols: string[];

  /** Milliseconds since the epoch from which every login is refused; 0 means never. */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  expiresAt: number;
}
