/** Keeps `value` under `key` in a cache of at most `limit` entries, dropping the oldest inserted first. */
export function remember<K, V>(cache: Map<K, V>, key: K, value: V, limit: number): void {
  if (cache.size >= limit) cache.delete(cache.keys().next().value as K);
  cache.set(key, value);
}
