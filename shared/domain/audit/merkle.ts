import { createHash } from 'node:crypto';

/**
 * RFC 6962 Merkle tree hashes (SHA-256): leaf = H(0x00 ‖ data), node = H(0x01 ‖ left ‖ right),
 * MTH(D[n]) splits at the largest power of two below n. A digest's leaves are the hour's entry
 * hashes (32 raw bytes each) ordered by id.
 *
 * MerkleBuilder computes MTH incrementally from a stack of perfect subtree roots (at most log2 n
 * hashes), so a sealer can stop after any leaf, store `state()`, and resume in another
 * invocation with the same result (test/unit/audit/merkle.test.ts checks both against a recursive
 * reading of the RFC for sizes 1–257).
 */
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF).update(data).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE).update(left).update(right).digest();
}

const EMPTY_ROOT = createHash('sha256').digest();

/** Serializable progress: leaves seen and the roots of the perfect subtrees (hex, left to right). */
export interface MerkleState {
  count: number;
  stack: { size: number; hash: string }[];
}

export class MerkleBuilder {
  private count: number;
  private readonly stack: { size: number; hash: Buffer }[];

  constructor(state?: MerkleState) {
    this.count = state?.count ?? 0;
    this.stack = (state?.stack ?? []).map((s) => ({ size: s.size, hash: Buffer.from(s.hash, 'hex') }));
  }

  /** Appends one leaf given as its data (an entry hash's 32 raw bytes). */
  add(data: Uint8Array): void {
    let top = { size: 1, hash: leafHash(data) };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.size === top.size) {
      const left = this.stack.pop()!;
      top = { size: left.size * 2, hash: nodeHash(left.hash, top.hash) };
    }
    this.stack.push(top);
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** MTH of the leaves so far (SHA-256 of nothing for none). */
  root(): Buffer {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let acc = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) acc = nodeHash(this.stack[i]!.hash, acc);
    return acc;
  }

  state(): MerkleState {
    return {
      count: this.count,
      stack: this.stack.map((s) => ({ size: s.size, hash: s.hash.toString('hex') })),
    };
  }
}

/** MTH over leaf hashes already computed. */
function subtreeRoot(leaves: readonly Buffer[], lo: number, hi: number): Buffer {
  if (hi - lo === 1) return leaves[lo]!;
  const k = largestPowerOfTwoBelow(hi - lo);
  return nodeHash(subtreeRoot(leaves, lo, lo + k), subtreeRoot(leaves, lo + k, hi));
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 6962 PATH(m, D[n]) over the leaves' data, siblings from the leaf up. */
export function auditPath(leavesData: readonly Uint8Array[], m: number): Buffer[] {
  const leaves = leavesData.map(leafHash);
  const path: Buffer[] = [];
  const walk = (lo: number, hi: number, index: number) => {
    if (hi - lo <= 1) return;
    const k = largestPowerOfTwoBelow(hi - lo);
    if (index < k) {
      walk(lo, lo + k, index);
      path.push(subtreeRoot(leaves, lo + k, hi));
    } else {
      walk(lo + k, hi, index - k);
      path.push(subtreeRoot(leaves, lo, lo + k));
    }
  };
  walk(0, leaves.length, m);
  return path;
}

/** The root an audit path leads to from leaf `index` of a tree of `size` (RFC 9162 2.1.3.2), or null. */
export function rootFromPath(
  data: Uint8Array,
  index: number,
  size: number,
  path: readonly Uint8Array[],
): Buffer | null {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash(data);
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}
