import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';

export const repoRoot = join(__dirname, '..', '..');

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
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
  const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'run.cjs'), entry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const events = new EventEmitter();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    events.emit('line', line);
  });
  child.stderr!.resume();
  const waitForLine = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
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
