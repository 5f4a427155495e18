import { createServer } from 'node:http';
import { join } from 'node:path';
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

/**
 * Serves the test page and its bundle from a loopback origin of its own, as the web app is
 * served apart from the API. The page's CSP allows its own script only (no inline code, no
 * eval) and requests to loopback APIs, which the client must live with.
 */
export async function servePage(bundle: string): Promise<PageServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://page').pathname;
    const csp = "default-src 'none'; script-src 'self'; connect-src http://127.0.0.1:*";
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }).end(HTML);
    } else if (path === '/app.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundle);
    } else {
      response.writeHead(404).end();
    }
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
