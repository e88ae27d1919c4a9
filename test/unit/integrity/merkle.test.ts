import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  auditPath,
  merkleRoot,
  merkleTree,
  verifyInclusion,
} from '../../../shared/domain/integrity/merkle.ts';

/**
 * An independent implementation, written straight from RFC 6962 §2.1's recursive definitions
 * (MTH with the split at the largest power of two below n, and PATH(m, D[n])), to check the
 * bottom-up production code against for every tree size 1–257.
 */
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const split = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
/** MTH(D[lo:hi]), memoised per range so the 257 trees stay quick. */
function reference(d: Buffer[]) {
  const memo = new Map<string, Buffer>();
  const mth = (lo: number, hi: number): Buffer => {
    const key = `${lo}:${hi}`;
    let h = memo.get(key);
    if (!h) {
      if (hi - lo === 0) h = sha();
      else if (hi - lo === 1) h = sha(Buffer.from([0]), d[lo]!);
      else {
        const k = split(hi - lo);
        h = sha(Buffer.from([1]), mth(lo, lo + k), mth(lo + k, hi));
      }
      memo.set(key, h);
    }
    return h;
  };
  // PATH(m, D[lo:hi])
  const path = (m: number, lo: number, hi: number): Buffer[] => {
    if (hi - lo <= 1) return [];
    const k = split(hi - lo);
    return m < k ? [...path(m, lo, lo + k), mth(lo + k, hi)] : [...path(m - k, lo + k, hi), mth(lo, lo + k)];
  };
  return { root: mth(0, d.length), path: (m: number) => path(m, 0, d.length) };
}
const leaves = (n: number) =>
  Array.from({ length: n }, (_, i) => createHash('sha256').update(`entry ${i}`).digest());

describe('RFC 6962 Merkle tree', () => {
  it('matches the recursive definition for the root and every audit path, sizes 1–257', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (let n = 1; n <= 257; n++) {
      const d = leaves(n);
      const ref = reference(d);
      const tree = merkleTree(d);
      if (!tree.root.equals(ref.root)) wrong.push(`root of ${n}`);
      for (let m = 0; m < n; m++) {
        const got = tree.path(m);
        const want = ref.path(m);
        if (got.length !== want.length || got.some((h, i) => !h.equals(want[i]!)))
          wrong.push(`path ${m} of ${n}`);
        if (!verifyInclusion(d[m]!, m, n, got, ref.root)) wrong.push(`verify ${m} of ${n}`);
        checked++;
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe((257 * 258) / 2);
  }, 120_000);

  it('rejects a proof for another leaf, index, size or root', () => {
    const d = leaves(13);
    const root = merkleRoot(d);
    const p = auditPath(d, 5);
    expect(verifyInclusion(d[5]!, 5, 13, p, root)).toBe(true);
    expect(verifyInclusion(d[6]!, 5, 13, p, root)).toBe(false);
    expect(verifyInclusion(d[5]!, 4, 13, p, root)).toBe(false);
    expect(verifyInclusion(d[5]!, 5, 6, p, root)).toBe(false);
    expect(verifyInclusion(d[5]!, 5, 13, p, merkleRoot(d.slice(1)))).toBe(false);
    expect(verifyInclusion(d[5]!, 5, 13, p.slice(1), root)).toBe(false);
  });

  it('hashes the RFC 6962 empty tree as SHA-256 of nothing, and a single leaf with the 0x00 prefix', () => {
    expect(merkleRoot([]).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    const one = leaves(1);
    expect(merkleRoot(one)).toEqual(sha(Buffer.from([0]), one[0]!));
  });
});
