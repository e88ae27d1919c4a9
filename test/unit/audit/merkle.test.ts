import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditPath, MerkleBuilder, rootFromPath } from '../../../shared/domain/audit/merkle.ts';

// An independent, literal reading of RFC 6962 section 2.1 (recursive MTH and PATH over the data),
// against which the incremental builder and the proof code are checked.
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
function mth(d: readonly Uint8Array[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Buffer.from([0]), d[0]!);
  let k = 1;
  while (k << 1 < d.length) k <<= 1;
  return sha(Buffer.from([1]), mth(d.slice(0, k)), mth(d.slice(k)));
}
function path(m: number, d: readonly Uint8Array[]): Buffer[] {
  if (d.length <= 1) return [];
  let k = 1;
  while (k << 1 < d.length) k <<= 1;
  return m < k
    ? [...path(m, d.slice(0, k)), mth(d.slice(k))]
    : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}

const leaves = (n: number) => Array.from({ length: n }, (_, i) => sha(Buffer.from(`entry ${i}`)));

describe('RFC 6962 Merkle tree', () => {
  it('matches the RFC 6962 reference test vectors (certificate-transparency merkle_tree_test)', () => {
    const data = [
      '',
      '00',
      '10',
      '2021',
      '3031',
      '40414243',
      '5051525354555657',
      '606162636465666768696a6b6c6d6e6f',
    ].map((hex) => Buffer.from(hex, 'hex'));
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    const builder = new MerkleBuilder();
    data.forEach((leaf, i) => {
      builder.add(leaf);
      expect(builder.root().toString('hex'), `size ${i + 1}`).toBe(roots[i]);
      expect(mth(data.slice(0, i + 1)).toString('hex')).toBe(roots[i]);
    });
  });

  it('gives the RFC root for every size 1–257, also when stopped and resumed from its state', () => {
    const all = leaves(257);
    const builder = new MerkleBuilder();
    for (let n = 1; n <= 257; n++) {
      builder.add(all[n - 1]!);
      const expected = mth(all.slice(0, n)).toString('hex');
      expect(builder.root().toString('hex'), `size ${n}`).toBe(expected);
      // A split at any point: a fresh builder from the JSON state continues identically.
      const resumed = new MerkleBuilder(JSON.parse(JSON.stringify(builder.state())));
      expect(resumed.root().toString('hex')).toBe(expected);
      expect(resumed.size).toBe(n);
    }
  });

  it('builds every audit path of sizes 1–257 as RFC 6962 PATH, and each leads to the root', () => {
    const all = leaves(257);
    for (let n = 1; n <= 257; n++) {
      const d = all.slice(0, n);
      const root = mth(d);
      // Every leaf up to 32 leaves; beyond, the edges and the middle (the reference is quadratic).
      const ms = n <= 32 ? d.map((_, m) => m) : [...new Set([0, 1, n >> 1, (n >> 1) + 1, n - 2, n - 1])];
      for (const m of ms) {
        const p = auditPath(d, m);
        expect(p.map((x) => x.toString('hex'))).toEqual(path(m, d).map((x) => x.toString('hex')));
        expect(rootFromPath(d[m]!, m, n, p)?.equals(root), `size ${n} leaf ${m}`).toBe(true);
      }
    }
  }, 120_000);

  it('refuses a path for another leaf, index or size', () => {
    const d = leaves(13);
    const root = mth(d);
    const p = auditPath(d, 5);
    expect(rootFromPath(d[6]!, 5, 13, p)?.equals(root) ?? false).toBe(false);
    expect(rootFromPath(d[5]!, 4, 13, p)?.equals(root) ?? false).toBe(false);
    expect(rootFromPath(d[12]!, 12, 13, auditPath(d, 12).slice(1))?.equals(root) ?? false).toBe(false);
    expect(rootFromPath(d[5]!, 13, 13, p)).toBeNull();
  });
});
