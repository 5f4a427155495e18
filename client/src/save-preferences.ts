import type { FyntrixClient } from './client';
import { dataOrThrow, FyntrixApiError, type FyntrixProblem, problemOf } from './errors';
import type { Preferences, PreferencesChanges } from './types';

export type PreferencesSave =
  /** Written: the saved document, with its new `version`. */
  | { status: 'saved'; preferences: Preferences }
  /**
   * Not written: the preferences changed elsewhere (another tab or device) since the version the
   * app holds. `current` is what the server holds now; show it, and let the user apply the change
   * to it (a new `savePreferences` with `current`).
   */
  | { status: 'conflict'; current: Preferences; problem: FyntrixProblem };

/**
 * Changes the preferences only if they are still the version the app holds (`If-Match`), so an
 * edit made on an old copy never overwrites a change made elsewhere: `held` is the document the
 * app shows (its `version`), `changes` the fields to change. Any answer but 200 and 412 throws
 * `FyntrixApiError` (its `problem.errors` name the offending fields of a 400 or 422).
 */
export async function savePreferences(
  client: FyntrixClient,
  held: Pick<Preferences, 'version'>,
  changes: PreferencesChanges,
): Promise<PreferencesSave> {
  const answer = await client.PATCH('/api/v1/preferences', {
    params: { header: { 'If-Match': `"${held.version}"` } },
    body: changes,
  });
  if (answer.data) return { status: 'saved', preferences: answer.data };
  const problem = problemOf(answer);
  if (problem.status !== 412) throw new FyntrixApiError(problem);
  // The 412 names the current version (ETag), not the document: read it.
  const current = dataOrThrow(await client.GET('/api/v1/preferences'));
  return { status: 'conflict', current, problem };
}
