import { readFile } from 'node:fs/promises';
import { createCipheriv, createDecipheriv, randomBytes, scrypt, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BackupError } from './backup.errors.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_CHECK = Buffer.from('mailhive-backup-key-check');
/** scrypt cost: about 100 ms and 32 MiB here, paid once per backup, not per file. */
const SCRYPT = { N: 1 << 15, r: 8, p: 1 } as const;

/** How a backup's files are encrypted, as the manifest records it (no secret in it). */
export interface EncryptionInfo {
  cipher: 'aes-256-gcm';
  kdf: { name: 'scrypt'; salt: string; N: number; r: number; p: number };
  /** A known text encrypted with the key: tells a wrong key apart from a damaged file before any data is read. */
  keyCheck: string;
}

/** The AES-256 key of one backup, derived from the operator's secret (a key file's bytes or a passphrase). */
export class BackupKey {
  private constructor(
    private readonly key: Buffer,
    readonly info: EncryptionInfo,
  ) {}

  /** A key with a new salt, for a new backup. */
  static async create(secret: Buffer): Promise<BackupKey> {
    const salt = randomBytes(16);
    const key = await derive(secret, salt, SCRYPT);
    const check = encryptSmall(key, KEY_CHECK, 'key-check');
    return new BackupKey(key, {
      cipher: 'aes-256-gcm',
      kdf: { name: 'scrypt', salt: salt.toString('base64'), ...SCRYPT },
      keyCheck: check.toString('base64'),
    });
  }

  /** The key of an existing backup; refuses a secret that does not open it. */
  static async open(secret: Buffer, info: EncryptionInfo): Promise<BackupKey> {
    if (info.cipher !== 'aes-256-gcm' || info.kdf.name !== 'scrypt')
      throw new BackupError('INVALID', `unknown encryption ${info.cipher}/${info.kdf.name}`);
    const key = await derive(secret, Buffer.from(info.kdf.salt, 'base64'), info.kdf);
    try {
      const plain = decryptSmall(key, Buffer.from(info.keyCheck, 'base64'), 'key-check');
      if (!plain.equals(KEY_CHECK)) throw new Error('mismatch');
    } catch {
      throw new BackupError('WRONG_KEY', 'the key or passphrase does not open this backup');
    }
    return new BackupKey(key, info);
  }

  /**
   * Encrypts a stream: IV, ciphertext, then the GCM tag. The file's path is authenticated data, so a file moved
   * or swapped within the backup fails to decrypt.
   */
  encryptor(path: string): Transform {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv) as CipherGCM;
    cipher.setAAD(Buffer.from(path));
    let started = false;
    return new Transform({
      transform(chunk: Buffer, _encoding, done: TransformCallback) {
        if (!started) {
          started = true;
          this.push(iv);
        }
        done(null, cipher.update(chunk));
      },
      flush(done: TransformCallback) {
        if (!started) this.push(iv);
        this.push(cipher.final());
        done(null, cipher.getAuthTag());
      },
    });
  }

  /** The decipher of a file, given its first IV_BYTES and last TAG_BYTES; its final() throws on any change. */
  decryptor(path: string, iv: Buffer, tag: Buffer): DecipherGCM {
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv) as DecipherGCM;
    decipher.setAAD(Buffer.from(path));
    decipher.setAuthTag(tag);
    return decipher;
  }
}

export const ENCRYPTION_FRAME = { ivBytes: IV_BYTES, tagBytes: TAG_BYTES } as const;

function derive(secret: Buffer, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function encryptSmall(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv) as CipherGCM;
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function decryptSmall(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES)) as DecipherGCM;
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

/** The secret in a key file (its bytes, at least 16 of them), or a BackupError saying why it cannot be used. */
export async function readKeyFile(path: string): Promise<Buffer> {
  const secret = await readFile(path).catch((error: Error) => {
    throw new BackupError('INVALID', `cannot read the key file ${path}: ${error.message}`);
  });
  if (secret.length < 16) throw new BackupError('INVALID', `the key file ${path} holds fewer than 16 bytes`);
  return secret;
}
