import { readFileSync } from 'node:fs';

/** Resident set size of a process in bytes, from the VmRSS line of /proc/PID/status (Linux); 0 when unknown. */
export function residentBytes(pid: number | undefined): number {
  if (!pid) return 0;
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0;
  }
  const line = status.split('\n').find((entry) => entry.startsWith('VmRSS:'));
  const kib = line ? Number.parseInt(line.slice('VmRSS:'.length).trim(), 10) : Number.NaN;
  return Number.isFinite(kib) ? kib * 1024 : 0;
}
