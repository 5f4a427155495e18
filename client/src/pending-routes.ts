/**
 * Routes of the API contract (DESIGN.md) that openapi.json does not document yet, typed by
 * hand in openapi-typescript's shape so that the client code is written against their final
 * paths and bodies. Once a route lands in openapi.json, `npm run client` generates it and the
 * check at the end of this file stops compiling: delete the route from here, and any
 * difference between this guess and the real contract shows up as a type error at its use.
 */
import type { components, paths } from './schema';

type Problem = components['schemas']['ProblemResponse'];
type NoParameters = { query?: never; header?: never; path?: never; cookie?: never };
type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type ProblemJson = { headers: { [name: string]: unknown }; content: { 'application/problem+json': Problem } };
/** What every authenticated route may answer (`@Authenticated()`): 401 and 429. */
type AuthenticatedErrors = { 401: ProblemJson; 429: ProblemJson };

type Get<T> = {
  parameters: NoParameters;
  requestBody?: never;
  responses: { 200: Json<T> } & AuthenticatedErrors;
};
type Post<Body, T, Status extends 200 | 201 = 200> = {
  parameters: NoParameters;
  requestBody: { content: { 'application/json': Body } };
  responses: { [S in Status]: Json<T> } & { 400: ProblemJson; 413: ProblemJson; 422: ProblemJson } & AuthenticatedErrors;
};
type PathItem<Operations> = { parameters: NoParameters } & Operations;

export type ImportOutcome = 'imported' | 'merged' | 'kept-server' | 'ignored' | 'invalid';

export interface LocalStorageImportRequest {
  /** The browser's values, exactly as `localStorage` holds them. */
  entries: { [key: string]: string };
  deviceId?: string;
}

export interface LocalStorageImportResponse {
  status: string;
  /** One per key sent, in the order sent. */
  results: { key: string; outcome: ImportOutcome; detail: string }[];
  importedAt: string;
}

/** Whether and when the caller imported, and from which devices (field names to confirm). */
export interface LocalStorageImportsResponse {
  imported: boolean;
  devices: { deviceId: string | null; importedAt: string }[];
}

export interface FeaturesResponse {
  serverPreferences: boolean;
  localStorageImport: boolean;
}

export interface WatchlistItem {
  symbol: string;
  exchange: 'NSE' | 'BSE' | 'NFO' | 'MCX' | 'NYSE' | 'NASDAQ';
  notes: string | null;
  addedAt: string;
  position: number;
}

export interface WatchlistResponse {
  items: WatchlistItem[];
  count: number;
}

export interface DismissedInsightsResponse {
  items: { insightId: string; dismissedAt: string }[];
}

export interface PendingPaths {
  '/api/v1/migrations/local-storage': PathItem<{
    get: Get<LocalStorageImportsResponse>;
    post: Post<LocalStorageImportRequest, LocalStorageImportResponse>;
  }>;
  '/api/v1/features': PathItem<{ get: Get<FeaturesResponse> }>;
  '/api/v1/watchlist': PathItem<{ get: Get<WatchlistResponse> }>;
  '/api/v1/insights/dismissed': PathItem<{ get: Get<DismissedInsightsResponse> }>;
}

/** Compiles only while no route above is in openapi.json: a landed route must leave this file. */
type NotGeneratedYet<Landed extends never> = Landed;
export type PendingRoutesCheck = NotGeneratedYet<keyof PendingPaths & keyof paths>;
