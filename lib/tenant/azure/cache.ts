// A small promise cache: bounded in time (entries expire) and in size (oldest evicted first), and
// concurrent identical requests share one in-flight promise. A failed load is forgotten at once, so an
// error is never cached.
export interface CacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

export class PromiseCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();
  private readonly now: () => number;

  constructor(private readonly opts: CacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value, or the result of `load` (shared with concurrent callers of the same key). */
  getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit.value;
    if (hit) this.entries.delete(key);
    const value = load();
    this.put(key, value);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** Seeds a known value (e.g. each definition of a list result), so later gets cost no call. */
  set(key: string, value: V): void {
    this.put(key, Promise.resolve(value));
  }

  clear(): void {
    this.entries.clear();
  }

  private put(key: string, value: Promise<V>): void {
    if (this.opts.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.opts.ttlMs });
    // Map keeps insertion order: the first key is the oldest.
    while (this.entries.size > this.opts.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
