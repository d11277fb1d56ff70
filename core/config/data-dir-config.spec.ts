import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.loader.js';
import { recordStore, storeMismatches } from './data-dir-config.js';

const MYSQL = 'mysql://mail:s3cret@db.example:3306/mailhive';

describe('the data directory store record', () => {
  it('is written at the first start only, with the store keys of the environment, readable by its owner only', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'mailhive-record-')), 'data');
    recordStore(dataDir, { MAILHIVE_DATABASE_URL: MYSQL, MAILHIVE_HOSTNAME: 'mx.example' });
    const file = join(dataDir, 'mailhive.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ MAILHIVE_DATABASE_URL: MYSQL });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    recordStore(dataDir, { MAILHIVE_DATABASE_URL: 'mysql://root@elsewhere/x' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ MAILHIVE_DATABASE_URL: MYSQL });
  });

  it('gives its store to a configuration that does not name one, and refuses one that names another', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailhive-record-'));
    writeFileSync(join(dataDir, 'mailhive.json'), JSON.stringify({ MAILHIVE_DATABASE_URL: MYSQL }));
    expect(loadConfig({ MAILHIVE_DATA_DIR: dataDir }).databaseUrl).toBe(MYSQL);
    expect(loadConfig({ MAILHIVE_DATA_DIR: dataDir, MAILHIVE_DATABASE_URL: MYSQL }).databaseUrl).toBe(MYSQL);
    expect(() => loadConfig({ MAILHIVE_DATA_DIR: dataDir, MAILHIVE_DATABASE_URL: '' })).toThrow(
      `MAILHIVE_DATABASE_URL is "(default)" here, but this data directory's store is "mysql://mail:****@db.example:3306/mailhive" (${join(dataDir, 'mailhive.json')}): unset it, or edit that file to move the data directory to another store`,
    );
    // MAILHIVE_CONFIG names the configuration instead: the data directory's record is not read.
    const other = join(dataDir, 'other.json');
    writeFileSync(other, '{}');
    expect(loadConfig({ MAILHIVE_DATA_DIR: dataDir, MAILHIVE_CONFIG: other }).databaseUrl).toBeNull();
  });

  it('compares paths and URLs as the configuration reads them', () => {
    expect(storeMismatches({ MAILHIVE_BLOB_DIR: './blobs' }, { MAILHIVE_BLOB_DIR: join(process.cwd(), 'blobs') })).toEqual([]);
    expect(storeMismatches({}, { MAILHIVE_DATABASE_URL: MYSQL })).toEqual([]);
    expect(storeMismatches({ MAILHIVE_BLOB_DIR: '/srv/blobs' }, {})).toEqual([
      'MAILHIVE_BLOB_DIR is "/srv/blobs" here, but this data directory\'s store is "(default)"',
    ]);
  });
});
