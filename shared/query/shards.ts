// Write shards for hot tenants. An entry's shard is a stable hash of its id, so a retried write
// lands on the same key; reads merge all N shards behind one cursor.

export function shardOf(id: string, shards: number): number {
  if (shards <= 1) return 0;
  // FNV-1a, 32 bit: stable across processes and runtimes.
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

export function allShards(shards: number): number[] {
  return Array.from({ length: Math.max(1, shards) }, (_, i) => i);
}
