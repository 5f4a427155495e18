import { randomUUID } from 'node:crypto';
import { isEnabled, rolloutBucket } from './feature-flags';

describe('percentage rollout', () => {
  const users = Array.from({ length: 4_000 }, () => randomUUID());

  it('gives a user the same bucket every time', () => {
    for (const user of users.slice(0, 50))
      expect(rolloutBucket('localStorageImport', user)).toBe(rolloutBucket('localStorageImport', user));
  });

  it('is off for everyone at 0% and on for everyone at 100%', () => {
    expect(users.some((u) => isEnabled('serverPreferences', u, 0))).toBe(false);
    expect(users.every((u) => isEnabled('serverPreferences', u, 100))).toBe(true);
  });

  it('enables about the configured share, growing monotonically', () => {
    const share = (percent: number) =>
      users.filter((u) => isEnabled('localStorageImport', u, percent)).length / users.length;
    expect(share(10)).toBeGreaterThan(0.07);
    expect(share(10)).toBeLessThan(0.13);
    expect(share(50)).toBeGreaterThan(0.46);
    expect(share(50)).toBeLessThan(0.54);
    // Raising the percentage only adds users: nobody enabled at 10% is dropped at 50%.
    expect(
      users.filter((u) => isEnabled('localStorageImport', u, 10) && !isEnabled('localStorageImport', u, 50)),
    ).toEqual([]);
  });

  it('buckets the flags independently', () => {
    const both = users.filter(
      (u) => isEnabled('localStorageImport', u, 50) && isEnabled('serverPreferences', u, 50),
    ).length;
    expect(both / users.length).toBeGreaterThan(0.2);
    expect(both / users.length).toBeLessThan(0.3);
  });
});
