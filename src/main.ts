import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { runPrimary, serveMetricsToPrimary } from './cluster';
import { loadAppConfig } from './config/app-config';

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadAppConfig();
  if (config.webConcurrency > 1 && cluster.isPrimary) return runPrimary(config);
  serveMetricsToPrimary();
  const app = await createApp({ config });
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  new Logger('Main').log(`ready in ${Date.now() - started} ms: ${url}/api/v1, Swagger UI at ${url}/docs`);
  // Nest runs the orderly shutdown (see GracefulShutdown); this only makes sure it ends.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(
        () => {
          new Logger('Main').error('shutdown did not finish in time; exiting');
          process.exit(1);
        },
        config.shutdownDrainMs + config.shutdownGraceMs + 5_000,
      ).unref();
    });
  }
}

main().catch((error: unknown) => {
  // Config errors are for humans: print the message alone, not a stack.
  console.error(error instanceof Error && error.name === 'ConfigValidationError' ? error.message : error);
  process.exit(1);
});
