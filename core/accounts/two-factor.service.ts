import { Injectable } from '@nestjs/common';
import type { AuditActorLike } from '../audit/audit-log.js';
import { recordAudit } from '../store/repositories/audit-log.repository.js';
import { StoreService } from '../store/store.service.js';
import {
  accountsWithSecondFactor,
  claimStep,
  countUnusedRecoveryCodes,
  deleteSecondFactor,
  domainRequiresTwoFactor,
  domainsRequiringTwoFactor,
  findSecondFactor,
  replaceRecoveryCodes,
  savePendingSecondFactor,
  setDomainRequiresTwoFactor,
  useRecoveryCode,
} from '../store/repositories/second-factor.repository.js';
import type { Principal } from './principal.js';
import { hashRecoveryCode, isRecoveryCodeShape, newRecoveryCodes } from './recovery-codes.js';
import { newTotpSecret, totpStep, totpUri } from './totp.js';

export type TwoFactorErrorCode = 'ALREADY_ENABLED' | 'NOT_ENROLLING' | 'NOT_ENABLED' | 'INVALID_CODE';

/** Refusals of enrolment and removal of a second factor; resolvers map the code. */
export class TwoFactorError extends Error {
  constructor(
    readonly code: TwoFactorErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface TwoFactorStatus {
  enabled: boolean;
  /** The account's domain requires a second factor. */
  required: boolean;
  recoveryCodesLeft: number;
}

/** Longest second factor read: a recovery code with dashes and spaces, or a six-digit code; longer input is no code. */
export const MAX_SECOND_FACTOR_LENGTH = 32;

const ISSUER = 'Mailhive';

/**
 * How long a node trusts what it read of a domain's requirement: every guarded request asks, and most domains have
 * none. Another node's change applies within this time; this node's own at once.
 */
const REQUIREMENT_CACHE_MS = 10_000;

/**
 * TOTP two-factor sign-in (RFC 6238) with one-time recovery codes. Every acceptance of a code is a conditional
 * UPDATE in the shared database, so a code works once across every node (the replay window of RFC 6238 §5.2).
 */
@Injectable()
export class TwoFactorService {
  private readonly requirements = new Map<number, { required: boolean; until: number }>();

  constructor(private readonly store: StoreService) {}

  async status(account: Pick<Principal, 'id' | 'domainId'>): Promise<TwoFactorStatus> {
    const reader = this.store.reader;
    const factor = await findSecondFactor(reader, account.id);
    const enabled = factor !== null && factor.confirmedAt > 0;
    return {
      enabled,
      required: await domainRequiresTwoFactor(reader, account.domainId),
      recoveryCodesLeft: enabled ? await countUnusedRecoveryCodes(reader, account.id) : 0,
    };
  }

  async isEnabled(accountId: number): Promise<boolean> {
    return ((await findSecondFactor(this.store.reader, accountId))?.confirmedAt ?? 0) > 0;
  }

  /** Whether the account must enrol before its session may do anything else. */
  async enrolmentRequired(account: Pick<Principal, 'id' | 'domainId'>): Promise<boolean> {
    return (await this.cachedRequirement(account.domainId)) && !(await this.isEnabled(account.id));
  }

  private async cachedRequirement(domainId: number, now = Date.now()): Promise<boolean> {
    const known = this.requirements.get(domainId);
    if (known && known.until > now) return known.required;
    const required = await domainRequiresTwoFactor(this.store.reader, domainId);
    if (this.requirements.size > 10_000) this.requirements.clear();
    this.requirements.set(domainId, { required, until: now + REQUIREMENT_CACHE_MS });
    return required;
  }

  /** A new secret for the authenticator app; the sign-in asks for codes only once `confirm` accepted one. */
  async begin(account: Pick<Principal, 'id' | 'address'>, now = Date.now()): Promise<{ secret: string; uri: string }> {
    const secret = newTotpSecret();
    await this.store.transaction(async (manager) => {
      const existing = await findSecondFactor(manager, account.id);
      if (existing && existing.confirmedAt > 0) throw new TwoFactorError('ALREADY_ENABLED', 'two-factor sign-in is already on');
      await savePendingSecondFactor(manager, account.id, secret, now);
    });
    return { secret, uri: totpUri(secret, account.address, ISSUER) };
  }

  /** Turns two-factor sign-in on with the first code of the pending secret; returns the recovery codes, shown once. */
  async confirm(accountId: number, code: string, now = Date.now()): Promise<string[]> {
    const codes = newRecoveryCodes();
    await this.store.transaction(async (manager) => {
      const factor = await findSecondFactor(manager, accountId);
      if (!factor || factor.confirmedAt > 0) throw new TwoFactorError('NOT_ENROLLING', 'no enrolment is pending; start one first');
      const step = totpStep(factor.secret, code, now);
      if (step === null || !(await claimStep(manager, accountId, step, now, true)))
        throw new TwoFactorError('INVALID_CODE', 'the code is not valid; check the time of the device');
      await replaceRecoveryCodes(manager, accountId, codes.map(hashRecoveryCode));
    });
    return codes;
  }

  /**
   * Whether `code` is a valid second factor of the account now: a TOTP code of a step not used before, or an unused
   * recovery code, which is then used up.
   */
  async verify(accountId: number, code: string, now = Date.now()): Promise<boolean> {
    if (code.length > MAX_SECOND_FACTOR_LENGTH) return false;
    const factor = await findSecondFactor(this.store.reader, accountId);
    if (!factor || factor.confirmedAt === 0) return false;
    if (isRecoveryCodeShape(code))
      return this.store.transaction((manager) => useRecoveryCode(manager, accountId, hashRecoveryCode(code), now));
    const step = totpStep(factor.secret, code, now);
    return step !== null && (await this.store.transaction((manager) => claimStep(manager, accountId, step, now, false)));
  }

  /** New recovery codes replace the old ones (after a valid code); returns them, shown once. */
  async regenerateRecoveryCodes(accountId: number, code: string): Promise<string[]> {
    if (!(await this.isEnabled(accountId))) throw new TwoFactorError('NOT_ENABLED', 'two-factor sign-in is off');
    if (!(await this.verify(accountId, code))) throw new TwoFactorError('INVALID_CODE', 'the code is not valid');
    const codes = newRecoveryCodes();
    await this.store.transaction((manager) => replaceRecoveryCodes(manager, accountId, codes.map(hashRecoveryCode)));
    return codes;
  }

  /** Turns two-factor sign-in off after a valid code (the caller checked the password). */
  async disable(accountId: number, code: string): Promise<void> {
    if (!(await this.isEnabled(accountId))) throw new TwoFactorError('NOT_ENABLED', 'two-factor sign-in is off');
    if (!(await this.verify(accountId, code))) throw new TwoFactorError('INVALID_CODE', 'the code is not valid');
    await this.store.transaction((manager) => deleteSecondFactor(manager, accountId));
  }

  /** An administrator's reset (audited): the account signs in with its password alone until it enrols again. */
  reset(account: Pick<Principal, 'id' | 'address' | 'domainId'>, actor: AuditActorLike): Promise<boolean> {
    return this.store.transaction(async (manager) => {
      const had = await deleteSecondFactor(manager, account.id);
      await recordAudit(manager, actor, 'user.reset_2fa', account.address, { hadSecondFactor: had }, account.domainId);
      return had;
    });
  }

  /** Whether the domain's users must sign in with a second factor (audited). */
  async setDomainRequirement(domain: { id: number; name: string }, required: boolean, actor: AuditActorLike): Promise<void> {
    await this.store.transaction(async (manager) => {
      await setDomainRequiresTwoFactor(manager, domain.id, required);
      await recordAudit(manager, actor, 'domain.require_2fa', domain.name, { required }, domain.id);
    });
    this.requirements.delete(domain.id);
  }

  /** The ids among `accountIds` with two-factor sign-in on (for admin lists). */
  enabledAmong(accountIds: readonly number[]): Promise<Set<number>> {
    return accountsWithSecondFactor(this.store.reader, accountIds);
  }

  /** The ids among `domainIds` that require two-factor sign-in (for admin lists). */
  domainsRequiring(domainIds: readonly number[]): Promise<Set<number>> {
    return domainsRequiringTwoFactor(this.store.reader, domainIds);
  }
}
