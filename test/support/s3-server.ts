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
  private readonly server: S3rver;

  constructor(readonly bucket = 'mailhive') {
    this.server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: this.directory,
      configureBuckets: [{ name: bucket }],
    });
  }

  async start(): Promise<this> {
    const { port } = await this.server.run();
    this.endpoint = `http://127.0.0.1:${port}`;
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

  async stop(): Promise<void> {
    await this.server.close();
    rmSync(this.directory, { recursive: true, force: true });
  }
}
