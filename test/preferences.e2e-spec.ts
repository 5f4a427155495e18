import { startTestApp, TestApp } from './support/app';
import { registerUser, TestUser } from './support/users';

describe('preferences (smoke)', () => {
  let t: TestApp;
  let alice: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    alice = await registerUser(t);
  });
  afterAll(() => t.close());

  it('gets defaults then patches', async () => {
    const get = await t.http().get('/api/v1/preferences').set('authorization', alice.auth).expect(200);
    expect(get.headers.etag).toBe('"0"');
    expect(get.body.version).toBe(0);
    const patch = await t.http().patch('/api/v1/preferences').set('authorization', alice.auth).send({ riskProfile: 'Aggressive', tradingModes: { Options: true } }).expect(200);
    expect(patch.body).toMatchObject({ riskProfile: 'Aggressive', version: 1, tradingModes: { Options: true, Swing: true } });
    const patch2 = await t.http().patch('/api/v1/preferences').set('authorization', alice.auth).set('if-match', '"1"').send({ disclosureAccepted: true, version: 99 }).expect(200);
    expect(patch2.body.version).toBe(2);
    expect(patch2.body.disclosureAcceptedAt).toBeTruthy();
    await t.http().patch('/api/v1/preferences').set('authorization', alice.auth).set('if-match', '"1"').send({ riskProfile: 'Moderate' }).expect(412);
    const bad = await t.http().patch('/api/v1/preferences').set('authorization', alice.auth).send({ primaryMode: 'Futures' }).expect(422);
    expect(bad.body.errors[0].field).toBe('primaryMode');
    const events = await t.http().get('/api/v1/audit/events').set('authorization', alice.auth).expect(200);
    expect(events.body.items).toHaveLength(2);
    expect(events.body.items[0].changedFields).toEqual(['disclosureAccepted', 'disclosureAcceptedAt']);
  });
});
