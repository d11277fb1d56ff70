import { parseHeader } from '../mime/header.parser.js';

/** Header fields by lower-case name (first occurrence), unfolded, for plugin contexts. */
export function pluginHeaders(raw: Buffer): Record<string, string> {
  const header = parseHeader(raw, 0, raw.length);
  const result: Record<string, string> = {};
  for (const field of header.fields) {
    if (field.name in result) continue;
    result[field.name] = raw.subarray(field.valueStart, field.end).toString('utf8').replace(/\r?\n/g, '').trim();
  }
  return result;
}
