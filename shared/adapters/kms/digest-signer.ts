import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  sign,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { calculateJwkThumbprint } from 'jose';
import type { Config } from '../../config.ts';
import type { PublicJwk } from '../../domain/integrity/digest.ts';
import type { DigestSigner } from '../../use-cases/integrity/ports.ts';

/** The public half of a P-256 key as GET /v1/audit-digests/keys lists it; `kid` = RFC 7638 thumbprint. */
export async function publicJwkOf(key: KeyObject): Promise<PublicJwk> {
  const { x, y } = key.export({ format: 'jwk' });
  if (!x || !y) throw new Error('not an EC public key');
  const base = { kty: 'EC' as const, crv: 'P-256' as const, x, y };
  return { ...base, kid: await calculateJwkThumbprint(base, 'sha256'), alg: 'ES256', use: 'sig' };
}

/**
 * KMS `Sign` returns an ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }`; JWS and this API use
 * IEEE P1363 (r‖s, each left-padded to 32 bytes).
 */
export function derToP1363(der: Uint8Array, size = 32): Buffer {
  const buf = Buffer.from(der);
  let at = 0;
  const length = () => {
    let len = buf[at++]!;
    if (len & 0x80) {
      const bytes = len & 0x7f;
      len = 0;
      for (let i = 0; i < bytes; i++) len = (len << 8) | buf[at++]!;
    }
    return len;
  };
  if (buf[at++] !== 0x30) throw new Error('DER signature: expected a SEQUENCE');
  length();
  const int = () => {
    if (buf[at++] !== 0x02) throw new Error('DER signature: expected an INTEGER');
    const len = length();
    let bytes = buf.subarray(at, at + len);
    at += len;
    while (bytes.length > size && bytes[0] === 0) bytes = bytes.subarray(1);
    if (bytes.length > size) throw new Error('DER signature: integer too long');
    return Buffer.concat([Buffer.alloc(size - bytes.length), bytes]);
  };
  return Buffer.concat([int(), int()]);
}

/** In AWS: an asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY); the private key never leaves KMS. */
export class KmsDigestSigner implements DigestSigner {
  private jwk?: Promise<PublicJwk>;

  constructor(
    private readonly client: KMSClient,
    private readonly keyId: string,
  ) {}

  publicJwk(): Promise<PublicJwk> {
    this.jwk ??= this.client.send(new GetPublicKeyCommand({ KeyId: this.keyId })).then((out) => {
      if (!out.PublicKey) throw new Error('KMS GetPublicKey returned no key');
      return publicJwkOf(createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' }));
    });
    this.jwk.catch(() => {
      this.jwk = undefined;
    });
    return this.jwk;
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    const out = await this.client.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: message,
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    if (!out.Signature) throw new Error('KMS Sign returned no signature');
    return derToP1363(out.Signature);
  }
}

/**
 * Locally: a P-256 key made on first start and kept in `file` (in DATA_DIR), or in memory for the
 * process when there is no file (tests). The file keeps every key it ever held; the last signs,
 * so a rotation (`rotate()`) leaves the old ones to verify old digests.
 */
export class LocalDigestSigner implements DigestSigner {
  private keys: KeyObject[];

  constructor(private readonly file: string | null) {
    const stored =
      file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { keys: JsonWebKey[] }).keys : [];
    this.keys = stored.map((jwk) => createPrivateKey({ key: jwk, format: 'jwk' }));
    if (this.keys.length === 0) this.rotate();
  }

  /** Starts signing with a new key; the old ones stay in the file. */
  rotate(): void {
    this.keys.push(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      const keys = this.keys.map((k) => k.export({ format: 'jwk' }));
      writeFileSync(this.file, JSON.stringify({ keys }), { mode: 0o600 });
    }
  }

  private get current(): KeyObject {
    return this.keys[this.keys.length - 1]!;
  }

  publicJwk(): Promise<PublicJwk> {
    return publicJwkOf(createPublicKey(this.current));
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    return sign('sha256', message, { key: this.current, dsaEncoding: 'ieee-p1363' });
  }
}

const localSigners = new Map<string, LocalDigestSigner>();

/** KMS when DIGEST_KEY_ARN is set (AWS), else the local key (one per file, or per process). */
export function digestSignerFromConfig(config: Config): DigestSigner {
  if (config.DIGEST_KEY_ARN) {
    return new KmsDigestSigner(new KMSClient({ region: config.AWS_REGION }), config.DIGEST_KEY_ARN);
  }
  const file = config.LOCAL_DIGEST_KEY_FILE ?? '';
  let signer = localSigners.get(file);
  if (!signer) {
    signer = new LocalDigestSigner(file || null);
    localSigners.set(file, signer);
  }
  return signer;
}
