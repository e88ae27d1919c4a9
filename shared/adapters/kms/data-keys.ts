import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import canonicalize from 'canonicalize';
import { observeClient } from '../sdk-observer.ts';

/**
 * Who wraps the data keys of persons (envelope encryption, domain/audit/personal.ts). In AWS a
 * symmetric KMS key: GenerateDataKey (AES_256) makes a key and its wrapped copy, Decrypt unwraps
 * it, both under the EncryptionContext {tenantId, personId}, so a wrapped key cannot be unwrapped
 * for anyone else. Locally an AES-256 master key file in DATA_DIR (made on first use, as the
 * sealer's signing key is) wraps with AES-256-GCM, the same context as additional data.
 */
export interface KeyWrapper {
  generate(context: Record<string, string>): Promise<{ plain: Buffer; wrapped: Buffer }>;
  unwrap(wrapped: Buffer, context: Record<string, string>): Promise<Buffer>;
}

export function kmsKeyWrapper(keyId: string, region: string): KeyWrapper {
  const client = import('@aws-sdk/client-kms').then((kms) => ({
    kms,
    client: observeClient(new kms.KMSClient({ region })),
  }));
  return {
    async generate(context) {
      const { kms, client: c } = await client;
      const out = await c.send(
        new kms.GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }),
      );
      if (!out.Plaintext || !out.CiphertextBlob) throw new Error('KMS returned no data key');
      return { plain: Buffer.from(out.Plaintext), wrapped: Buffer.from(out.CiphertextBlob) };
    },
    async unwrap(wrapped, context) {
      const { kms, client: c } = await client;
      const out = await c.send(
        new kms.DecryptCommand({ KeyId: keyId, CiphertextBlob: wrapped, EncryptionContext: context }),
      );
      if (!out.Plaintext) throw new Error('KMS returned no plaintext');
      return Buffer.from(out.Plaintext);
    },
  };
}

/** The local master key: read it, or create it exclusively (two processes agree on one key). */
function masterKey(file: string): Buffer {
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, key.toString('base64'), { flag: 'wx', mode: 0o600 });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  }
}

export function localKeyWrapper(file: string): KeyWrapper {
  let master: Buffer | undefined;
  const load = () => {
    master ??= masterKey(file);
    return master;
  };
  const aad = (context: Record<string, string>) => Buffer.from(canonicalize(context) ?? '', 'utf8');
  return {
    async generate(context) {
      const plain = randomBytes(32);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', load(), iv);
      cipher.setAAD(aad(context));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return { plain, wrapped: Buffer.concat([iv, cipher.getAuthTag(), body]) };
    },
    async unwrap(wrapped, context) {
      const decipher = createDecipheriv('aes-256-gcm', load(), wrapped.subarray(0, 12));
      decipher.setAAD(aad(context));
      decipher.setAuthTag(wrapped.subarray(12, 28));
      return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
    },
  };
}
