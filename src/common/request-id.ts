import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_MAX_LENGTH = 128;
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify's `genReqId`: a caller's `X-Request-Id` is kept when it is sane (so one id follows a
 * request across services), anything else is replaced by a UUID. Fastify binds it to the
 * request's logger (the access log) and the exception filter logs it with its errors.
 */
export function requestIdFor(raw: IncomingMessage): string {
  const header = raw.headers['x-request-id'];
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}
