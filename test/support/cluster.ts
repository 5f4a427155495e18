import { type AppProcess, freePort, spawnApp, waitUntilServing } from './process';

/** A JSON log line of a clustered service, as far as the specs read it. */
export interface LogLine {
  worker?: number;
  pid?: number;
  msg?: string;
  context?: string;
  url?: string;
}

/** The JSON lines the service printed so far. */
export const logLines = (service: AppProcess): LogLine[] =>
  service.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

/**
 * The service as production runs it, in its own process with WEB_CONCURRENCY=`workers` (test
 * stage, this suite's database, info logs), once it serves and `allUp(its log lines)` holds: the
 * first worker to listen answers before the others are up.
 */
export async function startCluster(
  workers: number,
  allUp: (lines: LogLine[]) => boolean,
  env: Record<string, string> = {},
): Promise<{ service: AppProcess; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const service = spawnApp({
    APP_STAGE: 'test',
    DATABASE_URL: process.env.DATABASE_URL!,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    WEB_CONCURRENCY: String(workers),
    ...env,
  });
  await waitUntilServing(service, `${base}/health/ready`, 60_000);
  for (const deadline = Date.now() + 60_000; !allUp(logLines(service)) && Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { service, base };
}
