import { type TestApp, startTestApp } from '../../support/app';

export interface ListeningApp extends TestApp {
  /** `http://127.0.0.1:<port>`, where a browser reaches the API. */
  url: string;
}

/** The real app (see startTestApp) on a free loopback port, for a browser to call. */
export async function startListeningApp(env: Record<string, string | undefined> = {}): Promise<ListeningApp> {
  const t = await startTestApp(env);
  await t.app.listen(0, '127.0.0.1');
  return { ...t, url: await t.app.getUrl() };
}
