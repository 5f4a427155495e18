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
