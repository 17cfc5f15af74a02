// The API takes a province as a person types it: the directory, the template download and a new round all work
// from "Khánh Hòa", "khanh hoa", "TP HCM" and store or answer with the directory id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, Client, startServer, type TestServer } from './harness.js';

let t: TestServer;
let admin: Client;

beforeAll(async () => {
  t = await startServer();
  await addUser(t, 'snv-admin', 'admin', null, 'khanh-hoa');
  admin = new Client(t.base);
  await admin.login('snv-admin');
}, 60_000);
afterAll(async () => t?.close());

describe('province as typed, over HTTP', () => {
  it('GET /api/directory answers with the province of the date', async () => {
    const kh = await admin.get(`/api/directory?province=${encodeURIComponent('khanh hoa')}&date=2026-01-01`);
    expect(kh.status).toBe(200);
    expect(kh.body.province).toBe('khanh-hoa');
    expect(kh.body.agencies.map((a: { name: string }) => a.name)).toContain('Sở Nội vụ');
    const hcm = await admin.get(`/api/directory?province=${encodeURIComponent('TP HCM')}&date=2026-01-01`);
    expect(hcm.body.province).toBe('ho-chi-minh');
    expect(hcm.body.agencies.map((a: { name: string }) => a.name)).toContain('Sở Quy hoạch - Kiến trúc');
    const hue = await admin.get(`/api/directory?province=${encodeURIComponent('Thừa Thiên Huế')}&date=2026-01-01`);
    expect(hue.body.province).toBe('hue');
  });

  it('GET /api/template.xlsx with "Khánh Hòa" gives the template named by the id', async () => {
    const r = await admin.get(`/api/template.xlsx?province=${encodeURIComponent('Khánh Hòa')}&year=2026`);
    expect(r.status, r.bytes.toString('utf8').slice(0, 300)).toBe(200);
    expect(r.headers.get('content-disposition')).toContain('mau-phu-luc-khanh-hoa-2026.xlsx');
    expect(r.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const bad = await admin.get(`/api/template.xlsx?province=Atlantis&year=2026`);
    expect(bad.status).toBe(404);
  }, 60_000);

  it('POST /api/rounds stores the round under the directory id', async () => {
    const dir = await admin.get(`/api/directory?province=khanh-hoa&date=2026-01-01`);
    const agency = (dir.body.agencies as { id: string; kind: string }[]).find((a) => a.kind === 'agency')!;
    const r = await admin.post('/api/rounds', {
      title: 'Đợt thử tỉnh gõ tay',
      year: 2026,
      province: 'Khánh Hoà',
      deadline: '2026-03-31',
      expectedAgencyIds: [agency.id],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.round.province).toBe('khanh-hoa');
  });
});
