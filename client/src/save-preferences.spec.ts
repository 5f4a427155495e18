import { createFyntrixClient } from './client';
import { FyntrixApiError } from './errors';
import { savePreferences } from './save-preferences';
import { fakeApi, type Handler, json, problem } from './testing/fakes';

const PATCH = 'PATCH /api/v1/preferences';
const GET = 'GET /api/v1/preferences';

const version = (n: number, riskProfile: string) => ({
  disclosureAccepted: true,
  disclosureAcceptedAt: '2026-11-20T10:00:00.000Z',
  universe: 'NIFTY50',
  marketRegion: 'India',
  riskProfile,
  tradingModes: { Intraday: false, Swing: true, Options: false, Futures: false },
  primaryMode: 'Swing',
  auxiliaryModes: [],
  version: n,
  updatedAt: `2026-11-2${n}T10:00:00.000Z`,
});

function setup(routes: Record<string, Handler>) {
  const api = fakeApi(routes);
  const client = createFyntrixClient({ baseUrl: 'http://api.test', getAccessToken: () => 't', fetch: api.fetch });
  return { api, client };
}

describe('savePreferences', () => {
  it('sends the changes with If-Match of the version held, and answers the saved document', async () => {
    const saved = version(4, 'Conservative');
    const { api, client } = setup({ [PATCH]: () => json(200, saved, { ETag: '"4"' }) });

    const result = await savePreferences(client, { version: 3 }, { riskProfile: 'Conservative' });

    expect(result).toEqual({ status: 'saved', preferences: saved });
    expect(api.seen).toEqual([
      { route: PATCH, authorization: 'Bearer t', ifMatch: '"3"', body: { riskProfile: 'Conservative' } },
    ]);
  });

  it('on 412 writes nothing more and answers a conflict with the document the server holds now', async () => {
    const current = version(5, 'Aggressive');
    const stale = problem(
      412,
      'The preferences changed since you read them; reload and retry.',
      { type: 'urn:fyntrix:problem:stale-version', title: 'Precondition Failed' },
      { ETag: '"5"' },
    );
    const { api, client } = setup({ [PATCH]: () => stale, [GET]: () => json(200, current, { ETag: '"5"' }) });

    const result = await savePreferences(client, { version: 3 }, { riskProfile: 'Conservative' });

    expect(result).toEqual({
      status: 'conflict',
      current,
      problem: expect.objectContaining({ status: 412, type: 'urn:fyntrix:problem:stale-version' }),
    });
    expect(api.routes()).toEqual([PATCH, GET]);
  });

  it.each([
    [422, 'The preferences break a rule.', [{ field: 'primaryMode', message: 'must be an enabled mode' }]],
    [400, 'The request is not valid.', [{ field: 'riskProfile', message: 'must be one of …' }]],
    [401, 'The access token expired.', undefined],
  ])('throws FyntrixApiError with the problem of a %i', async (status, detail, errors) => {
    const { client } = setup({ [PATCH]: () => problem(status, detail, errors && { errors }) });

    const save = savePreferences(client, { version: 3 }, { primaryMode: 'Futures' });

    await expect(save).rejects.toBeInstanceOf(FyntrixApiError);
    await expect(save).rejects.toMatchObject({ problem: { status, detail, errors: errors ?? [] } });
  });

  it('throws FyntrixApiError when the current document cannot be read after a 412', async () => {
    const { client } = setup({ [PATCH]: () => problem(412, 'stale'), [GET]: () => problem(503, 'unavailable') });

    await expect(savePreferences(client, { version: 3 }, { riskProfile: 'Moderate' })).rejects.toMatchObject({
      problem: { status: 503 },
    });
  });
});
