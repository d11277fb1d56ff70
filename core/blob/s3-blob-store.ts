import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { BlobStore, StoredBlob } from './blob-store.js';
import { BlobReadCache } from './blob-read-cache.js';
import type { S3Location } from './s3-location.js';

const BLOB_ID = /^[0-9a-f]{64}$/;
const BLOB_KEY = /^[0-9a-f]{2}\/([0-9a-f]{64})$/;
/** The bucket did not answer when the store was opened: a node must not start without its blobs. */
export class BlobStoreUnreachableError extends Error {}

/** Content larger than this goes up in parts, so that a failed part is sent again instead of the whole message. */
export const MULTIPART_THRESHOLD = 16 * 1024 * 1024;
/** S3 wants every part but the last to be at least 5 MiB. */
export const PART_SIZE = 8 * 1024 * 1024;
/** Requests in flight per getMany call. */
const PARALLEL_READS = 16;

export interface S3Settings {
  location: S3Location;
  endpoint: string | null;
  region: string;
  accessKey: string | null;
  secretKey: string | null;
  forcePathStyle: boolean;
  /** Bytes of recently used blobs kept in memory. */
  cacheBytes: number;
  /** Local directory where a streamed message is hashed before it goes up (its key is its hash). */
  spoolDir: string;
}

/**
 * Blobs as objects `<prefix>/<aa>/<sha256>` in an S3-compatible bucket, shared by every node. The key is the content's
 * hash, so objects never change and a node's read cache is never stale. `put` resolves once the PUT (or the multipart
 * upload's completion) has succeeded: S3 acknowledges a write only once it is durable. Storing content again PUTs it
 * again, which refreshes its LastModified time, so a sweep on another node that sees the blob unreferenced keeps it
 * for its grace period, as the file store's touch does.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly cache: BlobReadCache;
  private readonly bucket: string;
  private readonly keyPrefix: string;
  private spoolSequence = 0;
  private readonly spoolPrefix = randomBytes(6).toString('hex');

  constructor(private readonly settings: S3Settings) {
    this.bucket = settings.location.bucket;
    this.keyPrefix = settings.location.prefix === '' ? '' : `${settings.location.prefix}/`;
    this.cache = new BlobReadCache(settings.cacheBytes);
    this.client = new S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.accessKey && settings.secretKey
        ? { credentials: { accessKeyId: settings.accessKey, secretAccessKey: settings.secretKey } }
        : {}),
      // Content-MD5 on every write is understood by every S3-compatible server; the SDK's newer CRC trailers are not.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Fails, saying why, when the bucket cannot be reached: a node must not accept mail it cannot store. */
  async init(): Promise<void> {
    await mkdir(this.settings.spoolDir, { recursive: true });
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const reason =
        status === 404 ? 'no such bucket' : status === 403 ? 'access denied' : (error as Error).message || (error as Error).name;
      throw new BlobStoreUnreachableError(`cannot reach the blob store ${this.url}: ${reason}`);
    }
  }

  /** The URL this store was opened with, for messages. */
  get url(): string {
    return `s3://${this.bucket}/${this.settings.location.prefix}`;
  }

  async put(content: Buffer | Readable): Promise<StoredBlob> {
    if (Buffer.isBuffer(content)) {
      const id = sha256(content);
      if (content.length > MULTIPART_THRESHOLD)
        await this.putParts(id, async (offset, length) => content.subarray(offset, offset + length), content.length);
      else await this.putObject(id, content);
      this.cache.set(id, content);
      return { id, size: content.length };
    }
    return this.putStream(content);
  }

  private async putObject(id: string, content: Buffer): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.keyOf(id),
        Body: content,
        ContentMD5: md5(content),
        ContentLength: content.length,
      }),
    );
  }

  /** The id is the hash of the whole content, known only at its end: the stream is spooled to a local file first. */
  private async putStream(content: Readable): Promise<StoredBlob> {
    const spoolFile = join(this.settings.spoolDir, `${this.spoolPrefix}-${++this.spoolSequence}`);
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(content, measure, createWriteStream(spoolFile, { flags: 'wx' }));
      const id = hash.digest('hex');
      const file = await open(spoolFile, 'r');
      try {
        const read = async (offset: number, length: number): Promise<Buffer> => {
          const buffer = Buffer.allocUnsafe(length);
          const { bytesRead } = await file.read(buffer, 0, length, offset);
          return buffer.subarray(0, bytesRead);
        };
        if (size > MULTIPART_THRESHOLD) await this.putParts(id, read, size);
        else {
          const whole = await read(0, size);
          await this.putObject(id, whole);
          this.cache.set(id, whole);
        }
      } finally {
        await file.close();
      }
      return { id, size };
    } finally {
      await rm(spoolFile, { force: true });
    }
  }

  /** A multipart upload, aborted on failure so that the bucket keeps no orphan parts. */
  private async putParts(id: string, read: (offset: number, length: number) => Promise<Buffer>, size: number): Promise<void> {
    const key = this.keyOf(id);
    const created = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key }));
    const uploadId = created.UploadId!;
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      for (let offset = 0, number = 1; offset < size; offset += PART_SIZE, number++) {
        const body = await read(offset, Math.min(PART_SIZE, size - offset));
        const uploaded = await this.client.send(
          new UploadPartCommand({
            Bucket: this.bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber: number,
            Body: body,
            ContentMD5: md5(body),
          }),
        );
        parts.push({ ETag: uploaded.ETag!, PartNumber: number });
      }
      await this.client.send(
        new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
      );
    } catch (error) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
      throw error;
    }
  }

  async get(id: string): Promise<Buffer> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const content = await this.fetch(id);
    // A corrupted object is an error, never a message with other content than was delivered.
    if (sha256(content) !== id) throw Object.assign(new Error(`blob ${id} in ${this.url} does not match its hash`), { code: 'EIO' });
    this.cache.set(id, content);
    return content;
  }

  private async fetch(id: string, range?: { start: number; end: number }): Promise<Buffer> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.keyOf(id),
          ...(range ? { Range: `bytes=${range.start}-${range.end - 1}` } : {}),
        }),
      );
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (error) {
      throw notFound(error, id) ?? error;
    }
  }

  async getMany(ids: readonly string[]): Promise<Buffer[]> {
    const result = new Array<Buffer>(ids.length);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const index = next++;
        result[index] = await this.get(ids[index]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, ids.length) }, worker));
    return result;
  }

  stream(id: string, range?: { start: number; end: number }): Readable {
    if (range && range.end <= range.start) return Readable.from([]);
    const read = async function* (store: S3BlobStore): AsyncGenerator<Buffer> {
      const cached = store.cache.get(id);
      if (cached) {
        yield range ? cached.subarray(range.start, range.end) : cached;
        return;
      }
      const whole = range === undefined;
      // A range past the end is cut to the blob, as a file read is; S3 answers 416 for a range starting past it.
      const size = whole ? null : (await store.stat(id))?.size;
      if (size === undefined) throw Object.assign(new Error(`blob ${id} not found in ${store.url}`), { code: 'ENOENT' });
      if (whole) yield await store.get(id);
      else if (range.start < size!) yield await store.fetch(id, { start: range.start, end: Math.min(range.end, size!) });
    };
    return Readable.from(read(this));
  }

  async exists(id: string): Promise<boolean> {
    return this.cache.get(id) !== undefined || (await this.stat(id)) !== null;
  }

  async stat(id: string): Promise<{ size: number; writtenAt: number } | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(id) }));
      return { size: head.ContentLength ?? 0, writtenAt: head.LastModified?.getTime() ?? 0 };
    } catch (error) {
      if (notFound(error, id)) return null;
      throw error;
    }
  }

  async *list(): AsyncIterable<{ id: string; writtenAt: number }> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.keyPrefix, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const object of page.Contents ?? []) {
        const id = BLOB_KEY.exec(object.Key!.slice(this.keyPrefix.length))?.[1];
        if (id) yield { id, writtenAt: object.LastModified?.getTime() ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(id: string): Promise<void> {
    this.cache.delete(id);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(id) }));
  }

  async health(): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private keyOf(id: string): string {
    if (!BLOB_ID.test(id)) throw new Error(`invalid blob id ${JSON.stringify(id)}`);
    return `${this.keyPrefix}${id.slice(0, 2)}/${id}`;
  }
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

function md5(content: Buffer): string {
  return createHash('md5').update(content).digest('base64');
}

/** An ENOENT error (what the file store throws) when S3 said the object is not there; otherwise null. */
function notFound(error: unknown, id: string): Error | null {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const name = (error as { name?: string }).name;
  if (status !== 404 && name !== 'NoSuchKey' && name !== 'NotFound') return null;
  return Object.assign(new Error(`blob ${id} not found`), { code: 'ENOENT' });
}
