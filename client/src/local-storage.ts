import { PERSISTENT_KEYS } from '../../domain/local-storage.keys';

/**
 * The part of the Web Storage API the helpers use: `window.localStorage` is one, and so is a
 * `Map`-backed fake in tests.
 */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The persistent `arise_*` keys this browser holds, with their raw values. */
export function readPersistentEntries(storage: StorageLike): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const key of PERSISTENT_KEYS) {
    const value = storage.getItem(key);
    if (value !== null) entries[key] = value;
  }
  return entries;
}
