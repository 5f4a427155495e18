/**
 * PostgreSQL error classification shared by services and the exception filter.
 * TypeORM wraps driver errors (`QueryFailedError.driverError`); both shapes are accepted.
 */
interface PgLikeError {
  code?: string;
  constraint?: string;
  message?: string;
  driverError?: PgLikeError;
  cause?: unknown;
}

function driverError(error: unknown): PgLikeError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as PgLikeError;
  return e.driverError ?? e;
}

export function pgErrorCode(error: unknown): string | undefined {
  return driverError(error)?.code;
}

/** 23505: a unique constraint said no. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = driverError(error);
  return e?.code === '23505' && (!constraint || e.constraint === constraint);
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'ENOENT', // no Unix socket: the (embedded) server is down
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '57014', // query_canceled: statement_timeout
  '53300', // too_many_connections
]);

const RELEASED_CONNECTION_ERRORS = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
]);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error',
  'Connection is not established',
];

/** True when the database could not be reached or gave up on us: the request may be retried. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = driverError(error);
  if (!e) return false;
  // TypeORM releases a transaction's connection when the server drops it; the rest of that
  // transaction's statements then fail with one of these.
  if (RELEASED_CONNECTION_ERRORS.has((error as Error).name)) return true;
  if (e.code && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  const message = e.message ?? '';
  return UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
}

/**
 * 22001 (string_data_right_truncation) and 22003 (numeric_value_out_of_range): a value the
 * request sent does not fit its column. Validation should have refused it; when it did not, the
 * answer is still the client's 400, never a 500.
 */
const VALUE_TOO_LARGE_CODES = new Set(['22001', '22003']);

export function isValueTooLarge(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code !== undefined && VALUE_TOO_LARGE_CODES.has(code);
}

/**
 * 22021 (character_not_in_repertoire: U+0000 in text) and 22P05 (untranslatable_character: a
 * `\u0000` escape in jsonb): a character PostgreSQL cannot store. The request's text is refused
 * before it gets here (`unacceptableInput`); this keeps a case it misses a 400, never a 500.
 */
const UNSTORABLE_CHARACTER_CODES = new Set(['22021', '22P05']);

export function isUnstorableCharacter(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code !== undefined && UNSTORABLE_CHARACTER_CODES.has(code);
}
