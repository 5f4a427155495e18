import { createFyntrixClient } from './client';
import { dataOrThrow, FyntrixApiError, problemOf } from './errors';
import { fakeApi, type Handler, json, problem } from './testing/fakes';

const ME = 'GET /api/v1/users/me';

async function answerTo(handler: Handler) {
  const api = fakeApi({ [ME]: handler });
  const client = createFyntrixClient({ baseUrl: 'http://api.test', getAccessToken: () => 't', fetch: api.fetch });
  return client.GET('/api/v1/users/me');
}

describe('problemOf', () => {
  it("takes the API's problem document as it is, errors included", async () => {
    const errors = [{ field: 'name', message: 'name must be 1 to 100 characters' }];
    const answer = await answerTo(() =>
      problem(400, 'The request is not valid.', {
        type: 'urn:fyntrix:problem:validation-failed',
        title: 'Bad Request',
        requestId: 'req-7',
        errors,
      }),
    );

    expect(problemOf(answer)).toEqual({
      status: 400,
      type: 'urn:fyntrix:problem:validation-failed',
      title: 'Bad Request',
      detail: 'The request is not valid.',
      errors,
      requestId: 'req-7',
    });
  });

  it('gives an empty errors list when the problem has none', async () => {
    expect(problemOf(await answerTo(() => problem(404, 'No such user.')))).toMatchObject({ status: 404, errors: [] });
  });

  it('makes a problem of an answer that is none (a proxy page), with the X-Request-Id header', async () => {
    const answer = await answerTo(
      () =>
        new Response('<html>Bad Gateway</html>', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'content-type': 'text/html', 'X-Request-Id': 'edge-1' },
        }),
    );

    expect(problemOf(answer)).toEqual({
      status: 502,
      type: 'about:blank',
      title: 'Bad Gateway',
      detail: 'The API answered 502 Bad Gateway.',
      errors: [],
      requestId: 'edge-1',
    });
  });

  it('has a null requestId when neither the body nor the headers carry one', async () => {
    expect(problemOf(await answerTo(() => new Response(null, { status: 503 })))).toMatchObject({
      status: 503,
      title: 'Error',
      requestId: null,
    });
  });
});

describe('dataOrThrow', () => {
  it('gives the data of a 2xx answer', async () => {
    expect(dataOrThrow(await answerTo(() => json(200, { name: 'Priya' })))).toEqual({ name: 'Priya' });
  });

  it('throws FyntrixApiError with the problem of any other answer', async () => {
    const answer = await answerTo(() =>
      problem(429, 'Too many requests.', { type: 'urn:fyntrix:problem:rate-limited' }),
    );

    const thrown = (() => {
      try {
        dataOrThrow(answer);
      } catch (error) {
        return error;
      }
    })();

    expect(thrown).toBeInstanceOf(FyntrixApiError);
    expect(thrown).toMatchObject({
      name: 'FyntrixApiError',
      status: 429,
      message: '429: Too many requests.',
      problem: { status: 429, type: 'urn:fyntrix:problem:rate-limited', requestId: 'r-1' },
    });
  });
});
