import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { DISMISSED_INSIGHTS_MAX, INSIGHT_ID_MAX_LENGTH } from '../../../domain/insight-id';
import { SYMBOL_MAX_LENGTH, WATCHLIST_MAX_ITEMS } from '../../../domain/market';
import { ETAG_MAX_LENGTH } from '../../common/etag';
import { ApiText, ApiTimestamp } from '../../docs/schema-bounds';

/** The most fields one change names (a watchlist replace of 500 symbols by 500 others); names are one level deep. */
const MAX_CHANGED_FIELDS = 2 * WATCHLIST_MAX_ITEMS + 1;
const CHANGED_FIELD_MAX_LENGTH = 64;
/** An event id: a position in the change history, in decimal (at most 15 digits). */
export const EVENT_ID_PATTERN = /^\d{1,15}$/;
export const EVENT_ID_MAX_LENGTH = 15;

const ApiChangedFields = () =>
  ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: CHANGED_FIELD_MAX_LENGTH },
    maxItems: MAX_CHANGED_FIELDS,
    description: 'The fields the change touched, one level deep (`tradingModes.Swing`).',
    example: ['riskProfile'],
  });

/** What every change event says: what happened, and when. */
class ChangeEventData {
  /** What happened, as the audit trail names it: `update`, `add`, `remove`, `replace`, `dismiss`, … @example "update" */
  @ApiText(32)
  action: string;
  @ApiTimestamp()
  occurredAt: Date;
}

export class PreferencesChangeData extends ChangeEventData {
  @ApiChangedFields()
  changedFields: string[];
  /** The version this change made: the preferences' ETag is its quoted form (below). @example 4 */
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 1, maximum: 2_147_483_647 })
  version?: number;
  /** The new `ETag` of `GET /preferences`: a copy with another ETag is stale. @example "\"4\"" */
  @ApiPropertyOptional({ type: String, maxLength: ETAG_MAX_LENGTH })
  etag?: string;
}

export class WatchlistChangeData extends ChangeEventData {
  /** The symbols added, removed or edited (a replace that only reorders names none): refetch the list. @example ["RELIANCE"] */
  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: SYMBOL_MAX_LENGTH },
    maxItems: 2 * WATCHLIST_MAX_ITEMS,
  })
  symbols: string[];
}

export class InsightsChangeData extends ChangeEventData {
  /** The insights dismissed or un-dismissed. @example ["nifty-breadth-2026-05-01"] */
  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: INSIGHT_ID_MAX_LENGTH },
    maxItems: DISMISSED_INSIGHTS_MAX,
  })
  insightIds: string[];
}

/** A change of the account (`name`, `role`, …). */
export class ProfileChangeData extends ChangeEventData {
  @ApiChangedFields()
  changedFields: string[];
}

/** A localStorage import finished (on this device or another): refetch what `changedFields` names. */
export class ImportChangeData extends ChangeEventData {
  @ApiChangedFields()
  changedFields: string[];
}

export const RESYNC_REASONS = [
  'too-far-behind',
  'unknown-event-id',
  'missed-notifications',
  'unavailable',
  'slow-reader',
] as const;
export type ResyncReason = (typeof RESYNC_REASONS)[number];

/**
 * The stream cannot tell what changed since the client's `Last-Event-ID`: refetch everything
 * shown. Its `id` (when present) is where the stream goes on from.
 */
export class ResyncData {
  /**
   * `too-far-behind`: more than 500 changes, or changes older than 24 hours, were missed;
   * `unknown-event-id`: the id is not one of this stream; `missed-notifications`: this instance
   * lost its database connection for a while; `unavailable`: the database could not be read;
   * `slow-reader`: the client read too slowly, and the stream ends after this event.
   */
  @ApiProperty({ enum: RESYNC_REASONS, enumName: 'ResyncReason' })
  reason: ResyncReason;
}

/** Sent once the stream is live: after the replayed changes (if any); its `id` is where a reconnect resumes. */
export class ReadyData {
  /** How many missed changes were replayed before it. @example 0 */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 500 })
  replayed: number;
}

/** The event types of the stream, each with its `data`. */
export const CHANGE_EVENT_DATA = {
  preferences: PreferencesChangeData,
  watchlist: WatchlistChangeData,
  insights: InsightsChangeData,
  profile: ProfileChangeData,
  import: ImportChangeData,
  resync: ResyncData,
  ready: ReadyData,
} as const;
export type ChangeEventName = keyof typeof CHANGE_EVENT_DATA;

const FRAME_NAMES: Record<ChangeEventName, string> = {
  preferences: 'PreferencesChangeEvent',
  watchlist: 'WatchlistChangeEvent',
  insights: 'InsightsChangeEvent',
  profile: 'ProfileChangeEvent',
  import: 'ImportChangeEvent',
  resync: 'ResyncEvent',
  ready: 'ReadyEvent',
};

/**
 * One event type as the SSE fields carry it, `{event, id, data}` (`data` is JSON), named
 * `<Name>Event` in the document's schemas. OpenAPI 3.0 has no notation for a sequence of events:
 * the response's schema is their union (`CHANGE_STREAM_SCHEMA`).
 */
function eventFrame(event: ChangeEventName): Type<unknown> {
  const frame = class {};
  Object.defineProperty(frame, 'name', { value: FRAME_NAMES[event] });
  ApiProperty({ type: String, enum: [event] })(frame.prototype, 'event');
  // A resync without an id leaves the client's Last-Event-ID as it was.
  (event === 'resync' ? ApiPropertyOptional : ApiProperty)({
    type: String,
    pattern: EVENT_ID_PATTERN.source,
    maxLength: EVENT_ID_MAX_LENGTH,
    description: 'The SSE `id:` field: the position in your change history, to send back as `Last-Event-ID`.',
  })(frame.prototype, 'id');
  ApiProperty({ type: CHANGE_EVENT_DATA[event] })(frame.prototype, 'data');
  return frame;
}

export const CHANGE_EVENT_FRAMES = (Object.keys(CHANGE_EVENT_DATA) as ChangeEventName[]).map(eventFrame);

/** The schema of `GET /events`'s `text/event-stream`: any of the event types, told apart by `event`. */
export const CHANGE_STREAM_SCHEMA = {
  oneOf: CHANGE_EVENT_FRAMES.map((frame) => ({ $ref: getSchemaPath(frame) })),
  discriminator: {
    propertyName: 'event',
    mapping: Object.fromEntries(
      (Object.keys(CHANGE_EVENT_DATA) as ChangeEventName[]).map((event) => [event, getSchemaPath(FRAME_NAMES[event])]),
    ),
  },
};
