import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { Config } from '../../config.ts';
import { observeClient } from '../sdk-observer.ts';

/**
 * Who signs audit digests: ECDSA P-256 / SHA-256 over the bytes of the digestHash hex string,
 * answered base64url in IEEE P1363 form (r ‖ s, 64 bytes). In AWS the private key never leaves
 * KMS (ECC_NIST_P256, ECDSA_SHA_256); locally it is a PKCS#8 file in DATA_DIR made on first use.
 * The key id is the public JWK's RFC 7638 thumbprint, so every signer names its key the same way
 * wherever it runs.
 */
export interface DigestSigner {
  /** The public key as a JWK with `kid`, `alg` ES256 and `use` sig. */
  publicJwk(): Promise<JWK & { kid: string }>;
  sign(message: string): Promise<string>;
}

async function jwkOf(key: KeyObject): Promise<JWK & { kid: string }> {
  const jwk = await exportJWK(key);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { ...jwk, kid, alg: 'ES256', use: 'sig' };
}

/** The local key file: read it, or create it (exclusively, so two processes agree on one key). */
function localKey(file: string): KeyObject {
  try {
    return createPrivateKey(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
    return privateKey;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return createPrivateKey(readFileSync(file, 'utf8'));
  }
}

export function localDigestSigner(file: string): DigestSigner {
  let key: KeyObject | undefined;
  const load = () => {
    key ??= localKey(file);
    return key;
  };
  return {
    publicJwk: () => jwkOf(createPublicKey(load())),
    sign: async (message) =>
      sign('sha256', Buffer.from(message, 'utf8'), { key: load(), dsaEncoding: 'ieee-p1363' }).toString(
        'base64url',
      ),
  };
}

/** DER `SEQUENCE { INTEGER r, INTEGER s }` (what KMS answers) → r ‖ s, 32 bytes each. */
export function derToP1363(der: Uint8Array, size = 32): Buffer {
  const buf = Buffer.from(der);
  let at = 2;
  if (buf[0] !== 0x30) throw new Error('not a DER ECDSA signature');
  if (buf[1]! & 0x80) at = 2 + (buf[1]! & 0x7f);
  const out = Buffer.alloc(size * 2);
  for (let i = 0; i < 2; i++) {
    if (buf[at] !== 0x02) throw new Error('not a DER ECDSA signature');
    const len = buf[at + 1]!;
    let int = buf.subarray(at + 2, at + 2 + len);
    while (int.length > size && int[0] === 0) int = int.subarray(1);
    if (int.length > size) throw new Error('DER integer too long');
    int.copy(out, i * size + (size - int.length));
    at += 2 + len;
  }
  return out;
}

export function kmsDigestSigner(keyId: string, region: string): DigestSigner {
  const client = import('@aws-sdk/client-kms').then((kms) => ({
    kms,
    client: observeClient(new kms.KMSClient({ region })),
  }));
  let jwk: Promise<JWK & { kid: string }> | undefined;
  return {
    publicJwk: () => {
      jwk ??= client
        .then(({ kms, client }) => client.send(new kms.GetPublicKeyCommand({ KeyId: keyId })))
        .then((out) => {
          if (!out.PublicKey) throw new Error('KMS returned no public key');
          return jwkOf(createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' }));
        })
        .catch((err) => {
          jwk = undefined;
          throw err;
        });
      return jwk;
    },
    sign: async (message) => {
      const { kms, client: c } = await client;
      const out = await c.send(
        new kms.SignCommand({
          KeyId: keyId,
          Message: Buffer.from(message, 'utf8'),
          MessageType: 'RAW',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      if (!out.Signature) throw new Error('KMS returned no signature');
      return derToP1363(out.Signature).toString('base64url');
    },
  };
}

/** KMS when SEAL_KMS_KEY_ID is set (AWS), else the local key file. */
export function digestSignerFromConfig(config: Config): DigestSigner {
  if (config.SEAL_KMS_KEY_ID) return kmsDigestSigner(config.SEAL_KMS_KEY_ID, config.AWS_REGION);
  return localDigestSigner(config.SEAL_KEY_FILE ?? '.logbook/seal-key.pem');
}
