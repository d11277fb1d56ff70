import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { portsFilePath, removePortsFile, writePortsFile } from './ports-file.js';

describe('ports file', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailhive-ports-'));
    dirs.push(dir);
    return dir;
  };

  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the bound ports as JSON, replacing an earlier file and leaving no temporary file', () => {
    const dir = dataDir();
    writePortsFile(dir, { smtp: 40001, http: 40002 });
    writePortsFile(dir, { imap: 40003 });
    expect(JSON.parse(readFileSync(portsFilePath(dir), 'utf8'))).toEqual({ imap: 40003 });
    expect(readdirSync(dir)).toEqual(['ports.json']);
  });

  it('removes the file, and is quiet when there is none', () => {
    const dir = dataDir();
    writePortsFile(dir, { smtp: 40001 });
    removePortsFile(dir);
    removePortsFile(dir);
    expect(readdirSync(dir)).toEqual([]);
  });
});
