import type { EntityManager } from 'typeorm';
import { AliasEntity } from '../store/entities/alias.entity.js';

/**
 * The chain by which an alias `address` with `targets` would lead back to itself through existing aliases
 * (`a -> b -> a`), or null when it would not. Each alias is looked up once, so the walk is bounded by the number
 * of aliases however they are linked. Addresses are normalized, as aliases store them.
 */
export async function aliasLoop(manager: EntityManager, address: string, targets: string[]): Promise<string[] | null> {
  const visited = new Set<string>();
  const walk = async (target: string, path: string[]): Promise<string[] | null> => {
    if (target === address) return [...path, target];
    if (visited.has(target)) return null;
    visited.add(target);
    const alias = await manager.findOneBy(AliasEntity, { address: target });
    if (!alias) return null;
    for (const next of alias.targets) {
      const found = await walk(next, [...path, target]);
      if (found) return found;
    }
    return null;
  };
  for (const target of targets) {
    const found = await walk(target, [address]);
    if (found) return found;
  }
  return null;
}
