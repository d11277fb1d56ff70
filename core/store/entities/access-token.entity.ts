import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber, commaList } from '../column-types.js';

export type AccessTokenKind = 'session' | 'app_password';

/** Login sessions and app passwords; only a SHA-256 of the secret is kept. */
@Entity('access_tokens')
export class AccessTokenEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  secretHash: string;

  @Index()
  @Column({ type: 'integer' })
  accountId: number;

  @Column({ type: 'varchar', length: 20 })
  kind: AccessTokenKind;

  @Column({ type: 'varchar', length: 200, default: '' })
  label: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  /** 0 = never expires (app passwords). */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  expiresAt: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  lastUsedAt: number;

  /** The protocols an app password opens: imap, pop3, smtp (sessions: unused). */
  @Column({ type: 'varchar', length: 64, default: 'imap,pop3,smtp', transformer: commaList })
  protocols: string[];

  /** The client address of the last use (app passwords) or of the sign-in (sessions), or ''. */
  @Column({ type: 'varchar', length: 64, default: '' })
  lastAddress: string;

  /** The User-Agent the session signed in with (cut to 200 characters), or ''. */
  @Column({ type: 'varchar', length: 200, default: '' })
  userAgent: string;
}
