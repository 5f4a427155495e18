import type { AuditEntity } from '../../domain/audit';
import type { RecordedChange } from '../audit/audit.service';
import { etagOf } from '../common/etag';
import type {
  ImportChangeData,
  InsightsChangeData,
  PreferencesChangeData,
  ProfileChangeData,
  WatchlistChangeData,
} from './dto/change-event.dto';

/** The kinds of change the streams carry (the trading records are not streamed). */
export const STREAMED_ENTITIES = [
  'preferences',
  'watchlist',
  'insights',
  'profile',
  'import',
] as const satisfies readonly AuditEntity[];
export type StreamedEntity = (typeof STREAMED_ENTITIES)[number];

export const isStreamed = (entity: string): entity is StreamedEntity =>
  (STREAMED_ENTITIES as readonly string[]).includes(entity);

export const isStreamedChange = (change: RecordedChange): change is RecordedChange & { entity: StreamedEntity } =>
  isStreamed(change.entity);

interface ChangeData {
  preferences: PreferencesChangeData;
  watchlist: WatchlistChangeData;
  insights: InsightsChangeData;
  profile: ProfileChangeData;
  import: ImportChangeData;
}

/** One change as a stream sends it: `seq` is its SSE id. */
export type ChangeEvent = { [E in StreamedEntity]: { seq: number; event: E; data: ChangeData[E] } }[StreamedEntity];

type Json = RecordedChange['after'];

/** `json[key]` when `json` is an object. */
const member = (json: Json | undefined, key: string): Json | undefined =>
  json !== null && typeof json === 'object' && !Array.isArray(json) ? json[key] : undefined;
const texts = (value: Json | undefined): string[] => (typeof value === 'string' ? [value] : []);
const keysOf = (value: Json | undefined): string[] =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];

/**
 * The symbols a watchlist change touched, from its audit record: one item's `symbol` (add,
 * remove), or the keys of a replace's `items` on either side (the symbols added, removed or edited).
 */
function watchlistSymbols({ before, after }: RecordedChange): string[] {
  const touched = [...keysOf(member(before, 'items')), ...keysOf(member(after, 'items'))];
  return touched.length > 0 ? [...new Set(touched)] : texts(member(after ?? before, 'symbol'));
}

/**
 * What a stream tells of a recorded change: what happened and which fields, symbols or insights
 * it touched, never values. Built from the user's own audit event only, so it carries nothing of
 * anyone else, and no secret (the audit trail records none).
 */
export function toChangeEvent(change: RecordedChange & { entity: StreamedEntity }): ChangeEvent {
  const seq = Number(change.seq);
  const { action, occurredAt, changedFields } = change;
  switch (change.entity) {
    case 'preferences': {
      const version = change.entityVersion ?? undefined;
      const etag = version === undefined ? undefined : etagOf(version);
      return { seq, event: 'preferences', data: { action, occurredAt, changedFields, version, etag } };
    }
    case 'watchlist':
      return { seq, event: 'watchlist', data: { action, occurredAt, symbols: watchlistSymbols(change) } };
    case 'insights': {
      const insightIds = texts(member(change.after ?? change.before, 'insightId'));
      return { seq, event: 'insights', data: { action, occurredAt, insightIds } };
    }
    case 'profile':
      return { seq, event: 'profile', data: { action, occurredAt, changedFields } };
    case 'import':
      return { seq, event: 'import', data: { action, occurredAt, changedFields } };
  }
}
