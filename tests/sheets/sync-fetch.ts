import { execFileSync } from 'node:child_process';
import type { SyncFetch } from './fake-apps-script.js';

/** A blocking HTTP call: a child node process does the fetch while this one waits, as UrlFetchApp blocks. */
export const syncFetch: SyncFetch = (url, init) => {
  const script = `
    let input = ''; process.stdin.on('data', (c) => (input += c)).on('end', async () => {
      const { url, init } = JSON.parse(input);
      try { const r = await fetch(url, init); process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })); }
      catch (e) { process.stdout.write(JSON.stringify({ error: String(e.cause?.code ?? e.message) })); }
    });`;
  const out = JSON.parse(
    execFileSync(process.execPath, ['-e', script], {
      input: JSON.stringify({ url, init }),
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }),
  ) as {
    status?: number;
    body?: string;
    error?: string;
  };
  if (out.error) throw new Error(`Address unavailable: ${url} (${out.error})`);
  return { status: out.status!, body: out.body! };
};
