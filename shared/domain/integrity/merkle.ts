import { createHash } from 'node:crypto';

/**
 * RFC 6962 (§2.1) Merkle tree hashes over SHA-256 with domain separation:
 * leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right). The leaves' data here are
 * the entry hashes' 32 raw bytes, in id order. Pure functions: the sealer, the proof route,
 * `npm run verify` and the tests share them.
 */
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF).update(data).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE).update(left).update(right).digest();
}

/**
 * The tree's levels bottom-up (level 0 = leaf hashes). An unpaired last node moves up
 * unchanged, which gives exactly RFC 6962's split at the largest power of two below n.
 */
function levels(leaves: readonly Uint8Array[]): Buffer[][] {
  const out: Buffer[][] = [leaves.map(leafHash)];
  for (let level = out[0]!; level.length > 1; ) {
    const next: Buffer[] = new Array(Math.ceil(level.length / 2));
    for (let i = 0; i + 1 < level.length; i += 2) next[i >> 1] = nodeHash(level[i]!, level[i + 1]!);
    if (level.length % 2 === 1) next[next.length - 1] = level[level.length - 1]!;
    out.push(next);
    level = next;
  }
  return out;
}

export interface MerkleTree {
  size: number;
  /** MTH(D[n]); the hash of the empty string for no leaves (RFC 6962), though digests never have 0. */
  root: Buffer;
  /** PATH(m, D[n]): the audit path of leaf `index`, leaf to root (RFC 6962 §2.1.1). */
  path(index: number): Buffer[];
}

/** Builds the tree once; `path` then costs O(log n). */
export function merkleTree(leaves: readonly Uint8Array[]): MerkleTree {
  const all = leaves.length === 0 ? [] : levels(leaves);
  return {
    size: leaves.length,
    root: leaves.length === 0 ? createHash('sha256').digest() : all[all.length - 1]![0]!,
    path(index) {
      if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
        throw new RangeError(`leaf index ${index} outside a tree of ${leaves.length}`);
      }
      const path: Buffer[] = [];
      let i = index;
      for (const level of all) {
        if (level.length === 1) break;
        const sibling = i % 2 === 1 ? i - 1 : i + 1;
        if (sibling < level.length) path.push(level[sibling]!);
        i >>= 1;
      }
      return path;
    },
  };
}

export function merkleRoot(leaves: readonly Uint8Array[]): Buffer {
  return merkleTree(leaves).root;
}

export function auditPath(leaves: readonly Uint8Array[], index: number): Buffer[] {
  return merkleTree(leaves).path(index);
}

/**
 * Verifies an inclusion proof as RFC 9162 §2.1.3.2 describes: recomputes the root from the
 * leaf's data, its index, the tree size and the path.
 */
export function verifyInclusion(
  data: Uint8Array,
  index: number,
  treeSize: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash(data);
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && Buffer.compare(r, Buffer.from(root)) === 0;
}
