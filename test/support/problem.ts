import type { Response } from 'supertest';

/**
 * Asserts that `res` is an RFC 9457 problem document with the given status, as every error of
 * this API is, and returns its body for further assertions.
 */
export function expectProblem(res: Response, status: number): { type: string; detail: string; errors?: { field: string; message: string }[] } & Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), type: expect.any(String) });
  expect(res.body.requestId).toBe(res.headers['x-request-id']);
  return res.body;
}

/** The fields named by a 400/422 problem's `errors`. */
export const fieldsOf = (res: Response): string[] => (res.body.errors ?? []).map((e: { field: string }) => e.field);
