import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { build } from 'esbuild';

const PAGE_ENTRY = join(__dirname, '..', 'page', 'main.ts');

/**
 * The client and the test page's script as one browser bundle, built the way a frontend
 * bundler would: for the browser platform, so that any Node import in the client fails here.
 */
export async function bundleTestPage(): Promise<string> {
  const result = await build({
    entryPoints: [PAGE_ENTRY],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

const HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>fyntrix client test page</title>
    <script src="/app.js"></script>
  </head>
  <body></body>
</html>
`;

export interface PageServer {
  /** `http://127.0.0.1:<port>`: the page's origin, which the API must allow (CORS_ORIGINS). */
  origin: string;
  /** The page's address for an API at `apiUrl`. */
  pageUrl: (apiUrl: string) => string;
  close: () => Promise<void>;
}

interface StaticFile {
  type: string;
  body: string | Buffer;
}

/**
 * Serves pages from a loopback origin of their own, as the web app is served apart from the
 * API. The CSP allows the origin's own scripts only (no inline code, no eval) and requests to
 * loopback APIs, which the client must live with.
 */
async function serve(fileAt: (path: string) => Promise<StaticFile | undefined>): Promise<PageServer> {
  const csp = "default-src 'self'; connect-src http://127.0.0.1:*; object-src 'none'; base-uri 'none'";
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://page').pathname;
    fileAt(path).then(
      (file) => {
        if (!file) return response.writeHead(404).end();
        response.writeHead(200, { 'content-type': file.type, 'content-security-policy': csp }).end(file.body);
      },
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    pageUrl: (apiUrl) => `${origin}/?api=${encodeURIComponent(apiUrl)}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** The test page and its bundle (bundleTestPage). */
export function servePage(bundle: string): Promise<PageServer> {
  return serve(async (path) => {
    if (path === '/') return { type: 'text/html; charset=utf-8', body: HTML };
    if (path === '/app.js') return { type: 'text/javascript; charset=utf-8', body: bundle };
    return undefined;
  });
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** A built web app (`vite build`'s output folder): `/` is its index.html. */
export function serveDirectory(root: string): Promise<PageServer> {
  return serve(async (path) => {
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    const type = CONTENT_TYPES[extname(file)];
    if (!file.startsWith(root) || !type) return undefined;
    return readFile(file).then(
      (body) => ({ type, body }),
      () => undefined,
    );
  });
}
