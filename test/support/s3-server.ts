import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** The credentials s3rver accepts. */
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

/**
 * A real S3-protocol server (s3rver, objects in a temporary directory) on a loopback port 0, with one bucket, for
 * tests of the S3 blob store. `env(prefix)` gives the settings a Mailhive node needs to use it.
 */
export class S3TestServer {
  readonly directory = mkdtempSync(join(tmpdir(), 'mailhive-s3-'));
  endpoint = '';
  private server: S3rver | null = null;
  private port = 0;

  constructor(readonly bucket = 'mailhive') {}

  /** Starts serving; after stop({ keep: true }) it serves the same objects on the same port again. */
  async start(): Promise<this> {
    this.server = new S3rver({
      address: '127.0.0.1',
      port: this.port,
      silent: true,
      directory: this.directory,
      configureBuckets: [{ name: this.bucket }],
    });
    this.port = (await this.server.run()).port;
    this.endpoint = `http://127.0.0.1:${this.port}`;
    return this;
  }

  /** Environment for a node whose blobs live under `prefix` in the bucket. */
  env(prefix: string): Record<string, string> {
    return {
      MAILHIVE_BLOB_DIR: this.url(prefix),
      MAILHIVE_S3_ENDPOINT: this.endpoint,
      MAILHIVE_S3_REGION: 'us-east-1',
      MAILHIVE_S3_ACCESS_KEY: ACCESS_KEY,
      MAILHIVE_S3_SECRET_KEY: SECRET_KEY,
      MAILHIVE_S3_FORCE_PATH_STYLE: 'true',
    };
  }

  url(prefix: string): string {
    return `s3://${this.bucket}/${prefix}`;
  }

  /** Stops serving; the objects are removed unless `keep` (an outage the test ends with start()). */
  async stop(options: { keep?: boolean } = {}): Promise<void> {
    await this.server?.close();
    this.server = null;
    if (!options.keep) rmSync(this.directory, { recursive: true, force: true });
  }
}
