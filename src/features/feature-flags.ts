import { createHash } from 'node:crypto';

export const FEATURE_FLAGS = ['serverPreferences', 'localStorageImport'] as const;
export type FeatureFlag = (typeof FEATURE_FLAGS)[number];

/**
 * The user's bucket (0–99) for one flag: a hash of flag and user id, so a user keeps their
 * answer across requests, instances and restarts, and the flags roll out independently.
 */
export function rolloutBucket(flag: FeatureFlag, userId: string): number {
  return createHash('sha256').update(`${flag}:${userId}`).digest().readUInt32BE(0) % 100;
}

/** On for the users whose bucket is below the flag's rollout percentage. */
export function isEnabled(flag: FeatureFlag, userId: string, percent: number): boolean {
  return rolloutBucket(flag, userId) < percent;
}
