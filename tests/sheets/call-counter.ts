// Counts the add-on's calls into the fake Apps Script services, as quotas and latency on the real host count them:
// every method the script calls on a spreadsheet, sheet, range, rule, cache, lock or properties object is one call.
// Objects are wrapped in proxies that count and wrap what they return; the fake's own methods run on the unwrapped
// objects, so its internal calls are not counted.
export interface CallCounter {
  calls: number;
  byName: Map<string, number>;
  wrap<T>(value: T): T;
}

export function callCounter(): CallCounter {
  const raw = new WeakMap<object, object>();
  const wrapped = new WeakMap<object, object>();
  const counter: CallCounter = { calls: 0, byName: new Map(), wrap };
  const unwrap = (v: unknown): unknown => (v && typeof v === 'object' && raw.has(v) ? raw.get(v) : v);
  function wrap<T>(value: T): T {
    if (!value || typeof value !== 'object') return value;
    const target = value as unknown as object;
    if (raw.has(target)) return value;
    const known = wrapped.get(target);
    if (known) return known as T;
    const proxy = new Proxy(target, {
      get(t, key, _receiver) {
        const v = Reflect.get(t, key, t);
        if (typeof v !== 'function') return Array.isArray(t) ? wrap(v) : v;
        if (Array.isArray(t)) return v.bind(t);
        const name = `${(t as { constructor?: { name?: string } }).constructor?.name ?? 'Object'}.${String(key)}`;
        return (...args: unknown[]) => {
          counter.calls++;
          counter.byName.set(name, (counter.byName.get(name) ?? 0) + 1);
          return wrap(v.apply(t, args.map(unwrap)));
        };
      },
    });
    raw.set(proxy, target);
    wrapped.set(target, proxy);
    return proxy as T;
  }
  return counter;
}
