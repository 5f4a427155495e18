import type { INestApplicationContext } from '@nestjs/common';

/**
 * Runs a CLI's `main` and exits with the code it answers (0 done, 1 failed, 2 usage). An
 * unexpected error prints its message and exits 1. The exit is explicit: a pool or timer left
 * open must not keep an operator's shell waiting.
 */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}

/**
 * Boots the service's modules without HTTP (stage config, database, services), runs `fn` with
 * them, and closes them again. Loaded lazily: a CLI that does not boot the app (db:verify)
 * does not load every module, nor need every setting the app validates.
 */
export async function withAppContext<T>(fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const [{ NestFactory }, { AppModule }, { loadAppConfig }] = await Promise.all([
    import('@nestjs/core'),
    import('../app.module'),
    import('../config/app-config'),
  ]);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(loadAppConfig()), {
    logger: ['error', 'warn'],
  });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
