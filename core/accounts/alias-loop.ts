/**
 * The chain by which an alias `address` with `targets` would lead back to itself through existing aliases
 * (`a -> b -> a`), or null when it would not. Each alias is looked up once, so the walk is bounded by the number
 * of aliases however they are linked. Addresses are normalized, as aliases store them; `targetsOf` looks an alias up.
 */
export async function aliasLoop(
  targetsOf: (alias: string) => Promise<string[] | null>,
  address: string,
  targets: string[],
): Promise<string[] | null> {
  const visited = new Set<string>();
  const walk = async (target: string, path: string[]): Promise<string[] | null> => {
    if (target === address) return [...path, target];
    if (visited.has(target)) return null;
    visited.add(target);
    const nextTargets = await targetsOf(target);
    if (!nextTargets) return null;
    for (const next of nextTargets) {
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
