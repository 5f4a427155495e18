import { FEATURE_FLAGS, rolloutBucket } from '../src/features/feature-flags';
import { startTestApp } from './support/app';
import { registerUser } from './support/users';

/** The flags of `count` fresh users of an app started with these rollout percentages. */
async function flagsOfNewUsers(env: Record<string, string>, count: number) {
  const t = await startTestApp(env);
  try {
    const flags = [];
    for (let i = 0; i < count; i++) {
      const user = await registerUser(t);
      const res = await t.http().get('/api/v1/features').set('authorization', user.auth).expect(200);
      flags.push({ userId: user.id, flags: res.body });
    }
    return flags;
  } finally {
    await t.close();
  }
}

describe('GET /features: the percentage rollout', () => {
  const USERS = 12;

  it('0% is off for every user and 100% on for every user, per flag', async () => {
    const first = await flagsOfNewUsers(
      { FEATURE_SERVER_PREFERENCES_PERCENT: '0', FEATURE_LOCAL_STORAGE_IMPORT_PERCENT: '100' },
      USERS,
    );
    expect(first.map((u) => u.flags)).toEqual(
      Array(USERS).fill({ serverPreferences: false, localStorageImport: true }),
    );
    const second = await flagsOfNewUsers(
      { FEATURE_SERVER_PREFERENCES_PERCENT: '100', FEATURE_LOCAL_STORAGE_IMPORT_PERCENT: '0' },
      USERS,
    );
    expect(second.map((u) => u.flags)).toEqual(
      Array(USERS).fill({ serverPreferences: true, localStorageImport: false }),
    );
  });

  it('in between, answers each user by their bucket', async () => {
    const users = await flagsOfNewUsers(
      { FEATURE_SERVER_PREFERENCES_PERCENT: '50', FEATURE_LOCAL_STORAGE_IMPORT_PERCENT: '50' },
      USERS,
    );
    for (const { userId, flags } of users) {
      expect(flags).toEqual(Object.fromEntries(FEATURE_FLAGS.map((flag) => [flag, rolloutBucket(flag, userId) < 50])));
    }
  });

  it('needs a signed-in caller', async () => {
    const t = await startTestApp();
    try {
      await t.http().get('/api/v1/features').expect(401);
    } finally {
      await t.close();
    }
  });
});
