/** What an audit event is about: the kinds of user data whose changes are recorded. */
export const AUDIT_ENTITIES = [
  'preferences',
  'watchlist',
  'insights',
  'profile',
  'broker_connection',
  'trade_intent',
  'import',
  'account',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

/** A longer `User-Agent` is kept cut to this length. */
export const USER_AGENT_MAX_LENGTH = 512;
