// Configuration from the environment: defaults, HTTPS pairs, clear errors for bad values.
import { describe, expect, it } from 'vitest';
import { loadConfig, sqliteFile } from '../../../server/config.js';

describe('server configuration', () => {
  it('has working defaults: port 3000, the demo on its own SQLite file under .data, 20 MB uploads, plain HTTP', () => {
    const c = loadConfig({}, '/srv/phuluc');
    expect(c.port).toBe(3000);
    expect(sqliteFile(c)).toBe('/srv/phuluc/.data/phuluc-demo.sqlite');
    expect(sqliteFile(loadConfig({ DEMO: '0' }, '/srv/phuluc'))).toBe('/srv/phuluc/.data/phuluc.sqlite');
    expect(c.maxUploadBytes).toBe(20 * 1024 * 1024);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.secureCookies).toBe(false);
    expect(c.demo).toBe(true);
  });

  it('reads the environment', () => {
    const c = loadConfig(
      {
        PORT: '8443',
        DATA_DIR: '/var/lib/phuluc',
        DATABASE_URL: 'postgres://u:p@db/x',
        HTTPS_CERT: 'c.pem',
        HTTPS_KEY: 'k.pem',
        DEMO: '0',
      },
      '/srv',
    );
    expect(c.port).toBe(8443);
    expect(c.dataDir).toBe('/var/lib/phuluc');
    expect(c.databaseUrl).toBe('postgres://u:p@db/x');
    expect(c.secureCookies).toBe(true);
    expect(c.demo).toBe(false);
  });

  it('marks cookies Secure behind a TLS proxy (TRUST_PROXY) or with SECURE_COOKIES, and trusts the proxy', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).secureCookies).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ SECURE_COOKIES: '1' }).secureCookies).toBe(true);
    expect(loadConfig({}).trustProxy).toBe('loopback');
    expect(loadConfig({ TRUSTED_ORIGINS: 'https://a.example/, https://b.example' }).trustedOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('refuses half an HTTPS setup and non-numeric ports, naming the variable', () => {
    expect(() => loadConfig({ HTTPS_CERT: 'c.pem' })).toThrow(/HTTPS_CERT and HTTPS_KEY/);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
  });
});
