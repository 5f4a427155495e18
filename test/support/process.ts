import { ChildProcess, type ChildProcessByStdio, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * One of the service's entry points (`src/main.ts`, a CLI, …) as its own process, the way the
 * npm scripts start them (`node scripts/run.cjs <entry> …args`), with exactly `env`: callers
 * that want the test run's environment spread `process.env` in themselves.
 */
export function spawnEntry(
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  { cwd = REPO_ROOT, stdin = 'ignore' }: { cwd?: string; stdin?: 'ignore' | 'pipe' } = {},
): ChildProcessByStdio<Writable | null, Readable, Readable> {
  return spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'run.cjs'), entry, ...args], {
    cwd,
    env,
    stdio: [stdin, 'pipe', 'pipe'],
  }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The real entry point (`node scripts/run.cjs src/main.ts`) running as a child process. */
export interface AppProcess {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  exited: Promise<Exit>;
  /** Resolves with the exit, or rejects when the process is still running after `ms`. */
  exit(ms: number): Promise<Exit>;
  /** Stops it if still running (SIGTERM, then SIGKILL) and removes its scratch directory. */
  dispose(): Promise<void>;
}

/**
 * Starts the service as production starts it, with only `env` (plus PATH and HOME): nothing
 * leaks in from the test run's environment. Its working directory and DATA_DIR are a fresh
 * scratch directory, so no `.env` or `.data/` of the checkout is read.
 */
export function spawnApp(env: Record<string, string>): AppProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'fyntrix-app-'));
  // An embedded PostgreSQL started by root runs as the `postgres` user, which must reach DATA_DIR.
  chmodSync(cwd, 0o755);
  const child = spawnEntry(
    'src/main.ts',
    [],
    { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, DATA_DIR: join(cwd, '.data'), ...env },
    { cwd },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const exit = (ms: number) =>
    new Promise<Exit>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`still running after ${ms} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`)),
        ms,
      );
      void exited.then((e) => {
        clearTimeout(timer);
        resolve(e);
      });
    });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    exit,
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        // Gracefully first, so that an embedded PostgreSQL it started is stopped with it.
        child.kill('SIGTERM');
        await exit(20_000).catch(() => child.kill('SIGKILL'));
        await exited;
      }
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200; fails with the process's output when it exits or `ms` pass. */
export async function waitUntilServing(app: AppProcess, url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let exited = false;
  void app.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${url} did not answer (${exited ? 'the process exited' : `${ms} ms`})\nstdout:\n${app.stdout}\nstderr:\n${app.stderr}`,
  );
}

export interface Entry {
  child: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  /** Resolves with the first line from now on matching `pattern`; rejects if the process exits first. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** Runs one of the repo's TypeScript entry points as a child process (see scripts/run.cjs). */
export function runEntry(entry: string, args: string[], env: NodeJS.ProcessEnv): Entry {
  const child = spawnEntry(entry, args, { ...process.env, ...env }, { stdin: 'pipe' });
  const lines: string[] = [];
  const events = new EventEmitter();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    events.emit('line', line);
  });
  child.stderr.resume();
  const waitForLine = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onExit = (code: number | null) => finish(new Error(`process exited (${code}) before printing ${pattern}`));
      const onLine = (line: string) => pattern.test(line) && finish(null, line);
      function finish(error: Error | null, line?: string) {
        clearTimeout(timer);
        events.off('line', onLine);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve(line!);
      }
      events.on('line', onLine);
      child.once('exit', onExit);
    });
  return { child, lines, waitForLine };
}

/** The embedded PostgreSQL of test/support/pg-controller.ts, which a test can stop and start. */
export async function startControllablePostgres(dataDir: string) {
  const port = await freePort();
  const controller = runEntry('test/support/pg-controller.ts', [String(port), dataDir], { LOG_LEVEL: 'silent' });
  const url = (await controller.waitForLine(/^ready /, 120_000)).slice('ready '.length);
  const command = async (verb: 'stop' | 'start' | 'exit', ack: RegExp) => {
    const acknowledged = controller.waitForLine(ack);
    controller.child.stdin!.write(`${verb}\n`);
    await acknowledged;
  };
  return {
    url,
    stop: () => command('stop', /^stopped$/),
    start: () => command('start', /^started$/),
    exit: () => command('exit', /^exited$/),
  };
}

export interface ServerProcess {
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the service as it runs for real: its own process (`node scripts/run.cjs src/main.ts`),
 * on a free port, with `env` over the test environment; its output is captured.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  let output = '';
  const child = spawnEntry('src/main.ts', [], { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' });
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code) => ((exitCode = code), resolve())));
  const url = `http://127.0.0.1:${port}`;
  for (const started = Date.now(); ;) {
    if (exitCode !== undefined) throw new Error(`the server exited with ${exitCode}:\n${output}`);
    if (Date.now() - started > 60_000) throw new Error(`the server did not start within 60 s:\n${output}`);
    const live = await fetch(`${url}/health/live`).then(
      (res) => res.ok,
      () => false,
    );
    if (live) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    output: () => output,
    stop: async () => {
      if (exitCode === undefined) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the CLIs (`npm run user:promote`, `db:verify`, …) to its end, with `env` over the
 * test run's environment (or `env` alone, `inheritEnv: false`, as a deploy job would run it);
 * answers its exit code and output. One still running after `timeoutMs` is killed (the code is
 * then null).
 */
export function runCli(
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  { timeoutMs = 60_000, inheritEnv = true }: { timeoutMs?: number; inheritEnv?: boolean } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnEntry(entry, args, inheritEnv ? { ...process.env, ...env } : env);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => (clearTimeout(timer), reject(error)));
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
  });
}
