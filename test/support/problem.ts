import type { Response } from 'supertest';

export type ProblemBody = { type: string; detail: string; errors?: { field: string; message: string }[] } & Record<
  string,
  unknown
>;

/**
 * Asserts that `res` is an RFC 9457 problem document with the given status (and `type`, when
 * given), as every error of this API is, and returns its body for further assertions.
 */
export function expectProblem(res: Response, status: number, type?: string): ProblemBody {
  expect({ status: res.status, contentType: res.headers['content-type'] }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(res.body).toMatchObject({
    status,
    title: expect.any(String),
    detail: expect.any(String),
    type: expect.any(String),
  });
  expect(res.body.requestId).toBe(res.headers['x-request-id']);
  if (type) expect(res.body.type).toBe(type);
  return res.body;
}

/** The fields named by a 400/422 problem's `errors`. */
export const fieldsOf = (res: Response): string[] => (res.body.errors ?? []).map((e: { field: string }) => e.field);

/** A problem document without the fields that differ on every request. */
export const stableProblem = (body: Record<string, unknown>) => {
  const { requestId: _requestId, ...rest } = body;
  return rest;
};
