// Entry point: configuration from the environment, database (migrated on open), demo data, listen.
import { readFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { createApp, ROOT } from './app.js';
import { loadConfig, sqliteFile } from './config.js';
import { isUniqueViolation, openDatabase } from './db/index.js';
import { assertDemoAllowed, assertProductionAllowed, loadDemo } from './demo.js';
import { createUser, userCount } from './domain/users.js';
import { randomBytes } from 'node:crypto';

async function main(): Promise<void> {
  const config = loadConfig();
  const handle = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl, schema: config.databaseSchema } : { file: sqliteFile(config) },
  );
  console.log(`Cơ sở dữ liệu: ${handle.describe}`);
  if (config.demo) {
    console.log('CHẾ ĐỘ DÙNG THỬ (demo): tài khoản và dữ liệu mẫu, mật khẩu công khai. Không dùng cho dữ liệu thật.');
    console.log('  Chạy thật: npm run serve (hoặc DEMO=0 npm start), trên cơ sở dữ liệu riêng — xem docs/SECURITY.md.');
  }
  const app = createApp({
    db: handle,
    maxUploadBytes: config.maxUploadBytes,
    bcryptCost: config.bcryptCost,
    sessionTtlHours: config.sessionTtlHours,
    secureCookies: config.secureCookies,
    trustProxy: config.trustProxy,
    trustedOrigins: config.trustedOrigins,
    parse: process.env.PARSE_THREADS ? { threads: Math.max(1, Number(process.env.PARSE_THREADS) || 1) } : undefined,
    accessLog: process.env.ACCESS_LOG === '0' ? undefined : (line) => console.log(line),
  });

  // The demo and real data never share a database (the refusals are audited and end the start).
  if (config.demo) await assertDemoAllowed(app.locals.services, `Cơ sở dữ liệu ${handle.describe}`);
  else await assertProductionAllowed(app.locals.services, `Cơ sở dữ liệu ${handle.describe}`);

  if (!config.demo && (await userCount(app.locals.services)) === 0) {
    // A fresh production database: one admin to create the other accounts with (POST /api/users).
    const password = process.env.ADMIN_PASSWORD || randomBytes(12).toString('base64url');
    try {
      await createUser(app.locals.services, {
        username: 'admin',
        password,
        displayName: 'Quản trị Sở Nội vụ',
        role: 'admin',
        province: process.env.PROVINCE || 'nam-dinh',
      });
      console.log(
        `Đã tạo tài khoản quản trị "admin"${process.env.ADMIN_PASSWORD ? ' (mật khẩu từ ADMIN_PASSWORD)' : `, mật khẩu: ${password} — hãy đổi ngay`}.`,
      );
    } catch (err) {
      // Instances started together: another one created the first admin a moment ago.
      if ((err as { code?: string }).code !== 'user.exists' && !isUniqueViolation(err)) throw err;
    }
  }

  if (config.demo) {
    const demo = await loadDemo(app.locals.services, ROOT);
    console.log('Dữ liệu mẫu đã sẵn sàng. Tài khoản dùng thử (chỉ dành cho bản demo):');
    for (const a of demo.accounts)
      console.log(`  ${a.username.padEnd(12)} mật khẩu ${a.password}   ${a.role.padEnd(8)} ${a.agency}`);
    for (const s of demo.submitted) {
      console.log(
        `  đã nộp: ${s.agency} — phiên bản ${s.version}, ${s.tasks} nhiệm vụ, ${s.errors} lỗi, ${s.warnings} cảnh báo`,
      );
    }
    if (!demo.submitted.length && !demo.problems.length) console.log('  (các bài nộp mẫu đã có từ lần chạy trước)');
    for (const p of demo.problems) console.warn(`  chưa nộp được bài mẫu: ${p}`);
  }

  const server =
    config.httpsCert && config.httpsKey
      ? createHttps({ cert: readFileSync(config.httpsCert), key: readFileSync(config.httpsKey) }, app)
      : createHttp(app);
  // This instance takes queued jobs (report builds, Sheet intake), its own and other instances'.
  app.locals.jobs.start();
  server.listen(config.port, config.host, () => {
    const scheme = config.httpsCert ? 'https' : 'http';
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    console.log(`Phụ lục đang chạy: ${scheme}://${host}:${config.port}/  (bảng điều khiển)`);
    console.log(`API: ${scheme}://${host}:${config.port}/api/openapi.json`);
  });

  const stop = () => {
    server.close(() => {
      void app.locals.jobs
        .stop()
        .then(() => app.locals.services.parse?.close())
        .then(() => handle.close())
        .then(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error('Không khởi động được máy chủ:', err instanceof Error ? err.message : err);
  process.exit(1);
});
