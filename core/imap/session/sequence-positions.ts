/**
 * For each UID of `listed` (ascending), its index in the session's `sessionUids` (ascending), or -1 when the session
 * does not know it (yet). Both lists ascend, so this is one walk instead of a search per message.
 */
export function sequenceIndexes(listed: readonly number[], sessionUids: readonly number[]): Int32Array {
  const result = new Int32Array(listed.length).fill(-1);
  let at = 0;
  for (let i = 0; i < listed.length && at < sessionUids.length; i++) {
    while (at < sessionUids.length && sessionUids[at] < listed[i]) at++;
    if (sessionUids[at] === listed[i]) result[i] = at;
  }
  return result;
}
