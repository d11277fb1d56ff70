import { Inject, Injectable } from '@nestjs/common';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { StartupError } from '../util/startup-error.js';

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
}

/** The certificate every TLS listener uses: the configured PEM files, or a self-signed one kept in the data dir. */
@Injectable()
export class TlsService {
  private material: TlsMaterial | null = null;
  private context: SecureContext | null = null;

  constructor(@Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig) {}

  async load(): Promise<TlsMaterial> {
    if (this.material) return this.material;
    const { tlsCert, tlsKey, dataDir, hostname } = this.config;
    if (tlsCert || tlsKey) {
      if (!tlsCert || !tlsKey) throw new StartupError('MAILHIVE_TLS_CERT and MAILHIVE_TLS_KEY must be set together');
      this.material = { cert: await readPem(tlsCert, 'MAILHIVE_TLS_CERT'), key: await readPem(tlsKey, 'MAILHIVE_TLS_KEY') };
    } else {
      this.material = await selfSigned(join(dataDir, 'tls'), hostname);
    }
    this.context = createSecureContext(this.material);
    return this.material;
  }

  /** Valid after `load()`. */
  secureContext(): SecureContext {
    if (!this.context) throw new Error('TlsService.load() was not called');
    return this.context;
  }
}

async function readPem(file: string, variable: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new StartupError(`${variable}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function selfSigned(dir: string, hostname: string): Promise<TlsMaterial> {
  const keyFile = join(dir, 'self-signed.key');
  const certFile = join(dir, 'self-signed.crt');
  try {
    return { key: await readFile(keyFile), cert: await readFile(certFile) };
  } catch {
    // Loaded only when a certificate must be made: the library costs ~0.4 s of start-up.
    const { generate } = await import('selfsigned');
    const pems = await generate([{ name: 'commonName', value: hostname }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: hostname },
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(keyFile, pems.private, { mode: 0o600 });
    await writeFile(certFile, pems.cert);
    return { key: Buffer.from(pems.private), cert: Buffer.from(pems.cert) };
  }
}
