// Sign-in, the current user, passwords, API tokens and accounts.
import { z } from 'zod';
import { same } from '../engine/index.js';

export const Role = z.enum(['agency', 'reviewer', 'admin']);
export type Role = z.infer<typeof Role>;

export const LoginBody = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});

export const UserBody = z.object({
  username: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .regex(/^[a-z0-9._-]+$/, 'chữ thường không dấu, số, dấu chấm, gạch'),
  password: z.string().min(8).max(200),
  displayName: z.string().trim().min(1).max(200),
  role: Role,
  agencyId: z.string().min(1).optional(),
  province: z.string().min(1).optional(),
});

export const PasswordBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(8).max(200),
});

export const TokenBody = z.object({
  label: z.string().trim().min(1).max(100).default('Excel add-in'),
  /** Lifetime in days (default 90, at most 365). */
  expiresInDays: z.number().int().min(1).max(365).optional(),
});

export const ResetPasswordBody = z.object({ password: z.string().min(8).max(200) });

export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  agencyId: z.string().nullable(),
  agencyName: z.string().nullable(),
  province: z.string(),
  /** Signed in with a password an admin set: only /me, /me/password and sign-out until it is changed. */
  mustChangePassword: z.boolean().optional(),
  /** Created by the demo loader. */
  demo: z.boolean().optional(),
  /** The account is disabled (listed for admins; a disabled user never authenticates). */
  disabled: z.boolean().optional(),
});
export type User = z.infer<typeof UserSchema>;

export const UserResponse = z.object({ user: UserSchema });
/** Sign-in and /me: the user, and for a cookie session the CSRF token multipart uploads carry (X-CSRF-Token). */
export const SessionResponse = z.object({ user: UserSchema, csrfToken: z.string().optional() });
export const UsersResponse = z.object({ users: z.array(UserSchema) });

export const TokenView = z.object({
  ...same(z.string(), 'id', 'label', 'createdAt', 'expiresAt', 'scope'),
  lastUsedAt: z.string().nullable(),
  revoked: z.boolean(),
  /** Revoked or past its expiry. */
  active: z.boolean(),
});
export type TokenView = z.infer<typeof TokenView>;

/** The token's value is shown once, in this answer only. */
export const TokenCreated = z.object({
  id: z.string(),
  token: z.string(),
  label: z.string(),
  expiresAt: z.string(),
  scope: z.string(),
});
export const TokensResponse = z.object({ tokens: z.array(TokenView) });
