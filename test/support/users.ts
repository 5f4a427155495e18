import { randomUUID } from 'node:crypto';
import type { TestApp } from './app';
import { withDatabase } from './database';
import { decodeJwt } from './tokens';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** `Authorization` header value for this user. */
  auth: string;
}

export const STRONG_PASSWORD = 'correct horse battery staple 42';

/** A unique email per call, so every test works on users nobody else touches. */
export const uniqueEmail = (label = 'user') => `${label}-${randomUUID()}@example.test`;

export async function registerUser(
  t: TestApp,
  overrides: { email?: string; password?: string; name?: string } = {},
): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? STRONG_PASSWORD;
  const res = await t
    .http()
    .post('/api/v1/auth/register')
    .send({ email, password, name: overrides.name ?? 'Test User' })
    .expect(201);
  return {
    id: res.body.user.id,
    email,
    password,
    accessToken: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    auth: `Bearer ${res.body.accessToken}`,
  };
}

/** Signs `user` in again, e.g. to get a token that carries a role given since registration. */
export async function signIn(t: TestApp, user: TestUser): Promise<TestUser> {
  const res = await t
    .http()
    .post('/api/v1/auth/login')
    .send({ email: user.email, password: user.password })
    .expect(200);
  return {
    ...user,
    accessToken: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    auth: `Bearer ${res.body.accessToken}`,
  };
}

/** A fresh administrator: registered, given the role in the database, signed in again. */
export async function registerAdmin(t: TestApp): Promise<TestUser> {
  const user = await registerUser(t, { name: 'Test Admin' });
  await withDatabase((db) => db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [user.id]));
  const admin = await signIn(t, user);
  expect(decodeJwt(admin.accessToken).payload.role).toBe('admin');
  return admin;
}
