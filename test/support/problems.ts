import type { Response } from 'supertest';

/** Asserts an RFC 9457 problem document with the given status (and `type`, when given). */
export function expectProblem(res: Response, status: number, type?: string): void {
  expect({ status: res.status, contentType: res.headers['content-type'] }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), requestId: expect.any(String) });
  if (type) expect(res.body.type).toBe(type);
}

/** A problem document without the fields that differ on every request. */
export const stableProblem = (body: Record<string, unknown>) => {
  const { requestId: _requestId, ...rest } = body;
  return rest;
};
