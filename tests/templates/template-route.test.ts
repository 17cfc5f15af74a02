// GET /api/template.xlsx through a real express server and real HTTP (the router as the app mounts it,
// with the API's error middleware). Authentication is the app's concern: here a signed-in user is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import ExcelJS from 'exceljs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { templateRouter } from '../../server/api/template.js';
import { errorMiddleware } from '../../server/errors.js';
import { provinceWithAgencies } from './fixtures.js';

let server: Server;
let base = '';
let province = '';

beforeAll(async () => {
  province = await provinceWithAgencies();
  const app = express();
  app.use((req, _res, next) => {
    if (req.headers['x-test-user'] === 'yes') {
      req.user = {
        id: 'u1',
        username: 'snv',
        displayName: 'Cán bộ Sở Nội vụ',
        role: 'reviewer',
        agencyId: null,
        agencyName: null,
        province,
      };
    }
    next();
  });
  const api = express.Router();
  api.use(templateRouter());
  app.use('/api', api);
  app.use(errorMiddleware(() => undefined));
  server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const get = (path: string, signedIn = true) =>
  fetch(base + path, { headers: signedIn ? { 'x-test-user': 'yes' } : {} });

describe('GET /api/template.xlsx', () => {
  it('downloads the template for the province and year', async () => {
    const res = await get(`/api/template.xlsx?province=${province}&year=2027`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="mau-phu-luc-${province}-2027.xlsx"`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.getWorksheet('Phụ lục')!.getCell('A2').text).toBe('NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2027');
  });

  it("defaults to the user's province", async () => {
    const res = await get('/api/template.xlsx?year=2026');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`mau-phu-luc-${province}-2026.xlsx`);
  });

  it('an unknown province is a 404 with a Vietnamese message', async () => {
    const res = await get('/api/template.xlsx?province=khong-co&year=2026');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string; messageEn: string } };
    expect(body.error.code).toBe('template.unknown-province');
    expect(body.error.message).toContain('Không có danh mục cơ quan');
    expect(body.error.messageEn).toContain('khong-co');
  });

  it('a bad year is a 400 naming the parameter', async () => {
    const res = await get(`/api/template.xlsx?province=${province}&year=abc`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; where?: { field?: string } } };
    expect(body.error.code).toBe('request.invalid');
    expect(body.error.where?.field).toBe('year');
  });

  it('requires a signed-in user', async () => {
    const res = await get(`/api/template.xlsx?province=${province}&year=2026`, false);
    expect(res.status).toBe(401);
  });
});
