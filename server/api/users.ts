// Accounts, managed by the admin of Sở Nội vụ: each agency officer signs in as their agency.
import { Router } from 'express';
import { requireRole } from '../auth/index.js';
import { appError } from '../errors.js';
import { directory, provinceAt } from '../domain/engine.js';
import type { Services } from '../domain/services.js';
import { createUser, listUsers, resetPassword, setUserDisabled } from '../domain/users.js';
import { ResetPasswordBody, UserBody } from '../../contracts/index.js';
import { parse } from './parse.js';

export function usersRouter(s: Services): Router {
  const r = Router();
  r.get('/users', async (req, res) => {
    requireRole(req, 'admin');
    res.json({ users: await listUsers(s) });
  });
  r.post('/users', async (req, res) => {
    const admin = requireRole(req, 'admin');
    const body = parse(UserBody, req.body);
    const typed = body.province ?? admin.province;
    const province = provinceAt(typed, new Date().toISOString().slice(0, 10)) ?? typed;
    if (body.role === 'agency' && !body.agencyId) {
      throw appError(
        'request.invalid',
        { path: 'agencyId', issue: 'tài khoản cơ quan cần mã cơ quan' },
        { field: 'agencyId' },
      );
    }
    let agencyName: string | null = null;
    if (body.agencyId) {
      // The name comes from the directory (any period: accounts outlive reorganisations).
      const dir = await directory();
      const known = dir?.agencies(province).find((a) => a.id === body.agencyId);
      if (!known && dir?.agencies(province).length)
        throw appError('round.unknown-agency', { agencyId: body.agencyId }, { field: 'agencyId' });
      agencyName = known?.name ?? body.agencyId;
    }
    const user = await createUser(
      s,
      {
        username: body.username,
        password: body.password,
        displayName: body.displayName,
        role: body.role,
        agencyId: body.agencyId ?? null,
        agencyName,
        province,
      },
      admin,
    );
    res.status(201).json({ user });
  });
  r.post('/users/:userId/disable', async (req, res) => {
    const admin = requireRole(req, 'admin');
    res.json({ user: await setUserDisabled(s, admin, req.params.userId, true) });
  });
  r.post('/users/:userId/enable', async (req, res) => {
    const admin = requireRole(req, 'admin');
    res.json({ user: await setUserDisabled(s, admin, req.params.userId, false) });
  });
  // A temporary password the admin hands over; the officer must replace it at the next sign-in.
  r.post('/users/:userId/reset-password', async (req, res) => {
    const admin = requireRole(req, 'admin');
    const body = parse(ResetPasswordBody, req.body);
    res.json({ user: await resetPassword(s, admin, req.params.userId, body.password) });
  });
  return r;
}
