import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BoundPorts } from './bound-ports.js';

/**
 * `<dataDir>/ports.json` names the ports this process bound, e.g. `{"smtp":41234,"http":41240}`. With a port set
 * to 0 the kernel picks it, and this file is the only place a supervisor or a test learns which one it was.
 */
export function portsFilePath(dataDir: string): string {
  return join(dataDir, 'ports.json');
}

/** Removes the file of an earlier run, so a reader never takes a stale port for a live one. */
export function removePortsFile(dataDir: string): void {
  rmSync(portsFilePath(dataDir), { force: true });
}

/** Writes the file whole: a temporary file renamed over it, so a reader sees either nothing or every port. */
export function writePortsFile(dataDir: string, ports: BoundPorts): void {
  const file = portsFilePath(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(ports)}\n`);
  renameSync(temporary, file);
}
