import type { FieldError } from '../../domain/field-error';
import type { components } from './schema';

/** The API's RFC 9457 problem document, as the OpenAPI document describes it. */
export type Problem = components['schemas']['ProblemResponse'];

/**
 * Any answer other than 2xx, as one shape the app can branch on, whoever produced it: the API's
 * own problem documents as they are, and anything else (a proxy's HTML 502, an empty 503) made
 * into one from the status.
 */
export interface FyntrixProblem {
  status: number;
  /** `urn:fyntrix:problem:*` (e.g. `…:stale-version`, `…:validation-failed`), or `about:blank`. */
  type: string;
  title: string;
  detail: string;
  /** One entry per offending field (400 and 422); empty otherwise. */
  errors: FieldError[];
  /** The id to quote to support (the body's, else the `X-Request-Id` header); null when neither came. */
  requestId: string | null;
}

/** What an openapi-fetch call resolves to. */
export interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

const isProblem = (body: unknown): body is Partial<Problem> =>
  typeof body === 'object' && body !== null && typeof (body as Problem).status === 'number';
const text = (value: unknown, fallback: string) => (typeof value === 'string' && value !== '' ? value : fallback);

/** The problem of an answer that was not 2xx (see FyntrixProblem). */
export function problemOf(answer: Answer<unknown>): FyntrixProblem {
  const { response } = answer;
  const body = isProblem(answer.error) ? answer.error : {};
  const title = text(body.title, text(response.statusText, 'Error'));
  return {
    status: response.status,
    type: text(body.type, 'about:blank'),
    title,
    detail: text(body.detail, `The API answered ${response.status} ${title}.`),
    errors: Array.isArray(body.errors) ? body.errors : [],
    requestId: text(body.requestId, response.headers.get('X-Request-Id') ?? '') || null,
  };
}

/** An answer other than 2xx, thrown where the caller asked for data: `problem` says what went wrong. */
export class FyntrixApiError extends Error {
  readonly status: number;

  constructor(readonly problem: FyntrixProblem) {
    super(`${problem.status}: ${problem.detail}`);
    this.name = 'FyntrixApiError';
    this.status = problem.status;
  }
}

/** The data of a 2xx answer; any other answer throws FyntrixApiError. `dataOrThrow(await client.GET(…))`. */
export function dataOrThrow<T>(answer: Answer<T>): T {
  if (answer.response.ok) return answer.data as T;
  throw new FyntrixApiError(problemOf(answer));
}

/**
 * The session could not be renewed after the API refused an access token (401): the app's
 * `refresh` threw or gave no token (the refresh token expired, or was revoked). Sign the user out.
 */
export class FyntrixRefreshError extends Error {
  constructor(cause?: unknown) {
    super('The session could not be renewed: sign in again.', { cause });
    this.name = 'FyntrixRefreshError';
  }
}
