import type { EntityManager } from 'typeorm';
import { DomainSecurityEntity } from '../entities/domain-security.entity.js';
import { RecoveryCodeEntity } from '../entities/recovery-code.entity.js';
import { SecondFactorEntity } from '../entities/second-factor.entity.js';
import { sqlRun } from '../raw-sql.js';

export interface SecondFactorRow {
  accountId: number;
  secret: string;
  confirmedAt: number;
  lastStep: number;
  createdAt: number;
}

/** The account's TOTP secret, confirmed or pending, or null. */
export async function findSecondFactor(manager: EntityManager, accountId: number): Promise<SecondFactorRow | null> {
  const row = await manager.findOneBy(SecondFactorEntity, { accountId });
  return row ? { ...row } : null;
}

/** Starts (or restarts) an enrolment: a new pending secret replaces any earlier pending one. */
export async function savePendingSecondFactor(manager: EntityManager, accountId: number, secret: string, now: number): Promise<void> {
  await manager.delete(SecondFactorEntity, { accountId, confirmedAt: 0 });
  await manager.insert(SecondFactorEntity, { accountId, secret, confirmedAt: 0, lastStep: 0, createdAt: now });
}

/**
 * Records the use of the code of time step `step`, only if no code of this or a later step was accepted before:
 * the conditional UPDATE is the replay check, atomic on every node. With `confirm`, it also confirms a pending
 * enrolment. True when this call accepted the step.
 */
export async function claimStep(manager: EntityManager, accountId: number, step: number, now: number, confirm: boolean): Promise<boolean> {
  const result = confirm
    ? await sqlRun(
        manager,
        'UPDATE `second_factors` SET `lastStep` = ?, `confirmedAt` = ? WHERE `accountId` = ? AND `confirmedAt` = 0 AND `lastStep` < ?',
        [step, now, accountId, step],
      )
    : await sqlRun(manager, 'UPDATE `second_factors` SET `lastStep` = ? WHERE `accountId` = ? AND `confirmedAt` > 0 AND `lastStep` < ?', [
        step,
        accountId,
        step,
      ]);
  return result.changes > 0;
}

/** Removes the account's second factor and its recovery codes; false when it had none. */
export async function deleteSecondFactor(manager: EntityManager, accountId: number): Promise<boolean> {
  await manager.delete(RecoveryCodeEntity, { accountId });
  return ((await manager.delete(SecondFactorEntity, { accountId })).affected ?? 0) > 0;
}

/** Replaces the account's recovery codes by these hashes. */
export async function replaceRecoveryCodes(manager: EntityManager, accountId: number, codeHashes: readonly string[]): Promise<void> {
  await manager.delete(RecoveryCodeEntity, { accountId });
  await manager.insert(
    RecoveryCodeEntity,
    codeHashes.map((codeHash) => ({ accountId, codeHash, usedAt: 0 })),
  );
}

/** Marks an unused recovery code used; true when this call used it (a code works once, on any node). */
export async function useRecoveryCode(manager: EntityManager, accountId: number, codeHash: string, now: number): Promise<boolean> {
  const result = await sqlRun(
    manager,
    'UPDATE `recovery_codes` SET `usedAt` = ? WHERE `accountId` = ? AND `codeHash` = ? AND `usedAt` = 0',
    [now, accountId, codeHash],
  );
  return result.changes > 0;
}

export function countUnusedRecoveryCodes(manager: EntityManager, accountId: number): Promise<number> {
  return manager.countBy(RecoveryCodeEntity, { accountId, usedAt: 0 });
}

/** Whether the domain requires its users to sign in with a second factor. */
export async function domainRequiresTwoFactor(manager: EntityManager, domainId: number): Promise<boolean> {
  return (await manager.findOneBy(DomainSecurityEntity, { domainId }))?.requireTwoFactor ?? false;
}

/** The ids of the domains among `domainIds` that require a second factor. */
export async function domainsRequiringTwoFactor(manager: EntityManager, domainIds: readonly number[]): Promise<Set<number>> {
  if (domainIds.length === 0) return new Set();
  const rows = await manager.find(DomainSecurityEntity, { where: domainIds.map((domainId) => ({ domainId, requireTwoFactor: true })) });
  return new Set(rows.map((row) => row.domainId));
}

export async function setDomainRequiresTwoFactor(manager: EntityManager, domainId: number, required: boolean): Promise<void> {
  await manager.upsert(DomainSecurityEntity, { domainId, requireTwoFactor: required }, ['domainId']);
}

export async function deleteDomainSecurity(manager: EntityManager, domainId: number): Promise<void> {
  await manager.delete(DomainSecurityEntity, { domainId });
}

/** The ids among `accountIds` whose two-factor sign-in is on. */
export async function accountsWithSecondFactor(manager: EntityManager, accountIds: readonly number[]): Promise<Set<number>> {
  if (accountIds.length === 0) return new Set();
  const rows = await manager.find(SecondFactorEntity, {
    select: { accountId: true, confirmedAt: true },
    where: accountIds.map((accountId) => ({ accountId })),
  });
  return new Set(rows.filter((row) => row.confirmedAt > 0).map((row) => row.accountId));
}
