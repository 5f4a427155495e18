import { randomUUID } from 'node:crypto';
import type { TestApp } from './app';

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

export async function registerUser(t: TestApp, overrides: { email?: string; password?: string; name?: string } = {}): Promise<TestUser> {
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
