/** A benchmarked user: registered once, its access token reused for every request. */
export interface BenchUser {
  id: string;
  email: string;
  password: string;
  refreshToken: string;
  authorization: string;
}

export interface BenchContext {
  baseUrl: string;
  users: BenchUser[];
}

/** One measured route: what to prepare once, and the request to send for a given user. */
export interface Scenario {
  name: string;
  setup?: (ctx: BenchContext) => Promise<void>;
  request: (user: BenchUser) => { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; body?: string };
}

export const pick = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)];

/** Runs `fn` on every item, `concurrency` at a time (setup work the service must not see all at once). */
export async function forEachConcurrently<T>(
  concurrency: number,
  items: readonly T[],
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
