// The server's data layer: queries live in server/data (and migrations in server/db), domain modules
// import each other without cycles, and nothing casts the database to a table type of its own.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SERVER = resolve('server');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'public' ? [] : files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom)\(/;

describe('server data layer', () => {
  it('every query is in server/data (migrations in server/db)', () => {
    const outside = files(SERVER)
      .filter((f) => !f.startsWith(join(SERVER, 'data')) && !f.startsWith(join(SERVER, 'db')))
      .filter((f) => QUERY.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SERVER, f));
    expect(outside).toEqual([]);
  });

  it('domain modules import each other without cycles', () => {
    const domain = join(SERVER, 'domain');
    const graph = new Map<string, string[]>();
    for (const f of files(domain)) {
      const deps = [...readFileSync(f, 'utf8').matchAll(/from '(\.\/[^']+)\.js'/g)].map((m) =>
        resolve(dirname(f), `${m[1]}.ts`),
      );
      graph.set(f, deps);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(domain, p)).join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) visit(d, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('no module casts the database to a private table type, and one function resolves the agency', () => {
    const all = files(SERVER).map((f) => [relative(SERVER, f), readFileSync(f, 'utf8')] as const);
    expect(all.filter(([, t]) => /as unknown as Kysely|Kysely<Database &/.test(t)).map(([f]) => f)).toEqual([]);
    expect(all.filter(([, t]) => /function (resolveAgency|agencyOf)\b/.test(t)).map(([f]) => f)).toEqual([]);
  });
});
