import { randomUUID } from 'node:crypto';
import { type Algorithm, type Secret, sign } from 'jsonwebtoken';

/** The HS256 key of apps started with `startTestApp({ JWT_SIGNING_KEY: TEST_SIGNING_KEY })`. */
export const TEST_SIGNING_KEY = 'e2e-signing-key-only-for-tests-7c1f9a2d4b6e';
/** The defaults of JWT_LOCAL_ISSUER and JWT_LOCAL_AUDIENCE. */
export const LOCAL_ISSUER = 'fyntrix-api';
export const LOCAL_AUDIENCE = 'fyntrix-app';

export type Claims = Record<string, unknown>;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Header and payload of a JWT, without checking anything. */
export function decodeJwt(token: string): { header: Claims; payload: Claims } {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
  };
}

/**
 * The claims of a valid access token of this service for `sub`; `overrides` replace claims,
 * and a claim overridden with `undefined` is left out.
 */
export function localClaims(sub: string, overrides: Claims = {}): Claims {
  const now = Math.floor(Date.now() / 1_000);
  const claims: Claims = {
    sub,
    role: 'user',
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    ...overrides,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
}

/** Signs exactly `claims` (no claim added), with the given key and algorithm. */
export function signJwt(claims: Claims, key: Secret, algorithm: Algorithm = 'HS256', keyid?: string): string {
  return sign(claims, key, { algorithm, noTimestamp: true, ...(keyid ? { keyid } : {}) });
}

/** An `alg: none` token: no signature at all. */
export function unsignedJwt(claims: Claims): string {
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
}

/** A real token whose payload was edited after signing (the signature is kept as it was). */
export function tamperJwt(token: string, changes: Claims): string {
  const [header, , signature] = token.split('.');
  return `${header}.${base64url({ ...decodeJwt(token).payload, ...changes })}.${signature}`;
}
