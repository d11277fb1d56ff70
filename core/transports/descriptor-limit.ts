import { readFileSync } from 'node:fs';

/** Assumed when the limit cannot be read (not Linux): the usual soft limit, so the ceiling errs on the safe side. */
const FALLBACK_DESCRIPTOR_LIMIT = 1024;

/** Taken for an "unlimited" limit: far above any connection count one process serves. */
const UNLIMITED_DESCRIPTORS = 1_048_576;

/**
 * Share of the descriptors kept back from client connections. A connection that spools a message or reads a
 * blob holds a second descriptor for a while, and the store (SQLite file, WAL and shared memory, or the MariaDB
 * pool), the blob store, outbound delivery, logs and the bus need theirs even when every listener is full.
 */
const RESERVED_SHARE = 0.25;

/** Descriptors always kept back, whatever the share comes to on a small limit. */
const RESERVED_MINIMUM = 64;

/** The smallest ceiling ever derived, so that a tiny limit still leaves the server usable. */
const MINIMUM_CEILING = 16;

/**
 * The soft RLIMIT_NOFILE of this process from /proc/self/limits (Node raises it to the hard limit at start-up,
 * so it is read from the running process rather than from the shell's `ulimit`).
 */
export function readDescriptorLimit(file = '/proc/self/limits'): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return FALLBACK_DESCRIPTOR_LIMIT;
  }
  return parseOpenFilesLimit(text) ?? FALLBACK_DESCRIPTOR_LIMIT;
}

/** The soft limit on the `Max open files` line of proc(5) limits text; null when there is none. */
export function parseOpenFilesLimit(text: string): number | null {
  const line = text.split('\n').find((row) => row.startsWith('Max open files'));
  if (!line) return null;
  const soft = line.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === 'unlimited') return UNLIMITED_DESCRIPTORS;
  const value = Number(soft);
  return Number.isInteger(value) && value > 0 ? value : null;
}

/** The default global connection ceiling for a descriptor limit: what is left after the reserve. */
export function defaultConnectionCeiling(descriptorLimit: number): number {
  const reserved = Math.max(RESERVED_MINIMUM, Math.ceil(descriptorLimit * RESERVED_SHARE));
  return Math.max(MINIMUM_CEILING, descriptorLimit - reserved);
}
