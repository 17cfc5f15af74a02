// Queries compiled once. Kysely builds every query as an operation tree and compiles it to SQL anew on each call
// (20-30 µs of the request loop's CPU per query, about a dozen per submission). A hot query whose SQL depends only
// on its shape is built and compiled once per database with a marker in place of each value, and then run with the
// values put where their markers were: the same SQL and the same parameters as building it anew would give.
import { CompiledQuery, type Compilable } from 'kysely';
import type { DialectAdapter } from 'kysely';
import type { Db } from './schema.js';

const MARK = '\u0000compiled-once:';

interface Kept {
  query: CompiledQuery;
  /** For each parameter of the SQL: the index of the value it takes, or -1 for one the query itself holds. */
  slots: number[];
}

/**
 * A query built by `build` from values that only fill its parameters (no value may change its SQL: no optional
 * parts, no lists, no undefined in a row inserted). `build` is called once per database, with markers.
 */
export function compiledOnce<A extends unknown[], R>(build: (db: Db, ...values: A) => Compilable<R>) {
  // Kept by the database's dialect adapter, which a transaction shares with its database.
  const kept = new WeakMap<DialectAdapter, Kept>();
  const compile = (db: Db, arity: number): Kept => {
    const markers = Array.from({ length: arity }, (_, i) => `${MARK}${i}`) as unknown as A;
    const query = build(db, ...markers).compile();
    const slots = query.parameters.map((p) =>
      typeof p === 'string' && p.startsWith(MARK) ? Number(p.slice(MARK.length)) : -1,
    );
    for (let i = 0; i < arity; i++)
      if (!slots.includes(i)) throw new Error(`compiledOnce: value ${i} is not a parameter of ${query.sql}`);
    return { query, slots };
  };
  /** Runs the query with these values; its rows. */
  return async (db: Db, ...values: A): Promise<R[]> => {
    const adapter = db.getExecutor().adapter;
    let k = kept.get(adapter);
    if (!k) kept.set(adapter, (k = compile(db, values.length)));
    const { query, slots } = k;
    const parameters = slots.map((s, i) => (s < 0 ? query.parameters[i] : values[s]));
    const result = await db.executeQuery<R>(CompiledQuery.raw(query.sql, parameters));
    return result.rows;
  };
}
