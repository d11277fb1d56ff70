import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough, Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants as zlibConstants, createGzip, createGunzip } from 'node:zlib';
import { ENCRYPTION_FRAME, type BackupKey } from './backup-crypto.js';
import { BackupError } from './backup.errors.js';

/** A file of a backup as the manifest lists it: the stored bytes (compressed, maybe encrypted) and their SHA-256. */
export interface FileEntry {
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * Writes one file of a backup: gzip (level 1: mail is mostly text and the disk, not the ratio, is the limit), then
 * AES-256-GCM when the backup has a key, hashed on the way to disk. `write` waits while the pipeline is full.
 */
export class BackupFileWriter {
  private readonly input: Writable;
  private readonly done: Promise<void>;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private failure: Error | null = null;

  private constructor(
    private readonly root: string,
    readonly path: string,
    key: BackupKey | null,
  ) {
    const gzip = createGzip({ level: 1, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
    this.input = gzip;
    const tap = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        callback(null, chunk);
      },
    });
    const output = createWriteStream(join(root, path));
    this.done = key ? pipeline(gzip, key.encryptor(path), tap, output) : pipeline(gzip, tap, output);
    this.done.catch((error: Error) => {
      this.failure = error;
    });
  }

  static async create(root: string, path: string, key: BackupKey | null): Promise<BackupFileWriter> {
    await mkdir(dirname(join(root, path)), { recursive: true });
    return new BackupFileWriter(root, path, key);
  }

  async write(chunk: Buffer | string): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.input.write(chunk)) await new Promise<void>((resolve) => this.input.once('drain', resolve));
  }

  async close(): Promise<FileEntry> {
    this.input.end();
    await this.done;
    // Durable before the manifest that vouches for it is written.
    const handle = await open(join(this.root, this.path), 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { path: this.path, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/** Checks a stored file against its manifest entry: size and SHA-256 of the bytes on disk. */
export async function checkFile(root: string, entry: FileEntry): Promise<string | null> {
  const file = join(root, entry.path);
  const info = await stat(file).catch(() => null);
  if (!info) return `${entry.path} is missing`;
  if (info.size !== entry.bytes) return `${entry.path} has ${info.size} bytes, the manifest says ${entry.bytes}`;
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  const digest = hash.digest('hex');
  return digest === entry.sha256 ? null : `${entry.path} does not match its SHA-256`;
}

/** The plain content of a stored file, decrypted and decompressed as it streams. */
export async function openFile(root: string, path: string, key: BackupKey | null): Promise<Readable> {
  const file = join(root, path);
  const out = new PassThrough();
  if (!key) {
    pipeline(createReadStream(file), createGunzip(), out).catch((error: Error) => out.destroy(corrupt(path, error)));
    return out;
  }
  const { ivBytes, tagBytes } = ENCRYPTION_FRAME;
  const handle = await open(file, 'r');
  let iv: Buffer;
  let tag: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    if (size < ivBytes + tagBytes) throw new BackupError('CORRUPT', `${path} is too short to be an encrypted file`);
    iv = Buffer.alloc(ivBytes);
    tag = Buffer.alloc(tagBytes);
    await handle.read(iv, 0, ivBytes, 0);
    await handle.read(tag, 0, tagBytes, size - tagBytes);
  } finally {
    await handle.close();
  }
  // gzip output is never empty, so there is always ciphertext between the IV and the tag.
  const body = createReadStream(file, { start: ivBytes, end: size - tagBytes - 1 });
  pipeline(body, key.decryptor(path, iv, tag), createGunzip(), out).catch((error: Error) => out.destroy(corrupt(path, error)));
  return out;
}

function corrupt(path: string, error: Error): BackupError {
  return error instanceof BackupError ? error : new BackupError('CORRUPT', `${path} cannot be read: ${error.message.split('\n')[0]}`);
}

/** The lines of a stored text file. */
export async function* readLines(root: string, path: string, key: BackupKey | null): AsyncIterable<string> {
  const input = await openFile(root, path, key);
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) if (line !== '') yield line;
}

/** Blob records of a pack: 32 bytes of SHA-256, 8 bytes of length (big-endian), then the content. */
export const BLOB_RECORD_HEAD = 40;

export function blobRecordHead(id: string, size: number): Buffer {
  const head = Buffer.alloc(BLOB_RECORD_HEAD);
  head.write(id, 0, 32, 'hex');
  head.writeBigUInt64BE(BigInt(size), 32);
  return head;
}

/** The blobs of a stored pack, one at a time. */
export async function* readBlobs(root: string, path: string, key: BackupKey | null): AsyncIterable<{ id: string; content: Buffer }> {
  const input = await openFile(root, path, key);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const take = (count: number): Buffer => {
    const joined = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    const taken = joined.subarray(0, count);
    const rest = joined.subarray(count);
    pending = rest.length > 0 ? [rest] : [];
    pendingBytes = rest.length;
    return taken;
  };
  let need: { id: string; size: number } | null = null;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    for (;;) {
      if (!need) {
        if (pendingBytes < BLOB_RECORD_HEAD) break;
        const head = take(BLOB_RECORD_HEAD);
        need = { id: head.subarray(0, 32).toString('hex'), size: Number(head.readBigUInt64BE(32)) };
      }
      if (pendingBytes < need.size) break;
      yield { id: need.id, content: Buffer.from(take(need.size)) };
      need = null;
    }
  }
  if (need || pendingBytes > 0) throw new BackupError('CORRUPT', `${path} ends inside a blob`);
}
