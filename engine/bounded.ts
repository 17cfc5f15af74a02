// The engine's memo caches: cell texts repeat (agency names, "Thường xuyên", "Năm 2025"), so what is worked out
// from a text is kept by the text. A long editing session or a server process must not grow them without bound,
// and which entries will be asked for again is not known ahead, so a cache at its limit starts again empty:
// no bookkeeping on each hit (as a least-recently-used list would need), and refilling costs one computation per
// distinct text. Each cache names its own limit next to its map.

/** Stores `value` under `key` and returns it; a map that already holds `limit` entries is emptied first. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, limit: number): V {
  if (map.size >= limit) map.clear();
  map.set(key, value);
  return value;
}
