import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry } from 'prom-client';
import { rootLogger } from './common/logger';
import type { AppConfig } from './config/app-config';
import { locateDatabase } from './database/embedded-postgres';

/**
 * `WEB_CONCURRENCY` > 1: this process is the primary of a node:cluster. It starts the embedded
 * PostgreSQL once (dev), forks the workers that serve HTTP on the shared port (Node hands each
 * connection to a worker, round robin), replaces a worker that dies, answers the workers' requests
 * for the metrics of all of them, and on SIGTERM/SIGINT lets every worker drain and stop
 * (`GracefulShutdown`) before it stops the database and exits 0.
 *
 * What each worker keeps to itself: its database pool (`DATABASE_POOL_SIZE` each), its cache of
 * verified tokens, and — unless `REDIS_URL` is set — its rate-limit counters (a limit then holds per
 * worker: up to `WEB_CONCURRENCY` times the configured rate per client).
 */

const METRICS_REQUEST = 'fyntrix:metrics-request';
const METRICS_RESPONSE = 'fyntrix:metrics-response';

interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: string;
}
interface MetricsResponse {
  type: typeof METRICS_RESPONSE;
  id: string;
  text?: string;
  error?: string;
}

const isMessage = <T extends { type: string }>(message: unknown, type: T['type']): message is T =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;

/** A replaced worker waits this long first, so that a worker failing at start does not spin. */
const RESPAWN_DELAY_MS = 1_000;

export async function runPrimary(config: AppConfig): Promise<void> {
  const logger = rootLogger(config).child({ context: 'Cluster' });
  const { url, handle } = await locateDatabase(config);
  // Workers reach the database the primary found, and migrate (under the migration lock) only when
  // the primary would have: its own embedded database, or MIGRATE_ON_START.
  const workerEnv = { DATABASE_URL: url, MIGRATE_ON_START: String(config.database.migrateOnStart) };
  const metrics = new AggregatorRegistry();
  let stopping = false;

  const fork = () => cluster.fork(workerEnv);
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMessage<MetricsRequest>(message, METRICS_REQUEST)) return;
    const reply = (answer: Omit<MetricsResponse, 'type' | 'id'>) =>
      worker.send({ type: METRICS_RESPONSE, id: message.id, ...answer } satisfies MetricsResponse);
    metrics.clusterMetrics().then(
      (text) => reply({ text }),
      (error: Error) => reply({ error: error.message }),
    );
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error(`worker ${worker.id} exited (${signal ?? `code ${code}`}); starting another`);
    setTimeout(fork, RESPAWN_DELAY_MS).unref();
  });
  for (let i = 0; i < config.webConcurrency; i++) fork();
  logger.info(`primary ${process.pid}: ${config.webConcurrency} workers on port ${config.port}`);

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} workers`);
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => !!worker);
    const exited = workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
    for (const worker of workers) worker.process.kill(signal);
    const deadline = setTimeout(
      () => {
        logger.error('workers did not stop in time; killing them');
        for (const worker of workers) worker.process.kill('SIGKILL');
      },
      config.shutdownDrainMs + config.shutdownGraceMs + 5_000,
    );
    void Promise.all(exited)
      .then(async () => {
        clearTimeout(deadline);
        if (handle?.owned) await handle.stop();
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'stopping failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** The Prometheus text of every worker together (in a worker of a cluster): asked of the primary. */
export function clusterMetrics(timeoutMs = 5_000): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('the cluster primary did not answer with the metrics in time'));
    }, timeoutMs);
    const onMessage = (message: unknown) => {
      if (!isMessage<MetricsResponse>(message, METRICS_RESPONSE) || message.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (message.text === undefined) reject(new Error(message.error ?? 'no metrics'));
      else resolve(message.text);
    };
    process.on('message', onMessage);
    process.send!({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
  });
}

export const isClusterWorker = () => cluster.isWorker;

/**
 * In a worker: answers the primary's requests for this worker's metrics (prom-client listens for
 * them once an AggregatorRegistry exists in the process).
 */
export function serveMetricsToPrimary(): void {
  if (cluster.isWorker) new AggregatorRegistry();
}
