/**
 * `npm run client:pack`: builds the client package (`npm run client:build`: client/dist) and packs
 * it with `npm pack`, as it would be published: the tarball is what a web app installs
 * (`npm install <tarball>`; examples/web does). The build's and npm's own output go to stderr;
 * stdout's one line, the last, is the tarball's absolute path (client/pack/<name>-<version>.tgz;
 * a folder of its own, as `attw --pack client` packs into client/ and deletes what it packed).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const CLIENT_DIR = join(root, 'client');
const PACK_DIR = join(CLIENT_DIR, 'pack');

execFileSync('npm', ['run', 'client:build'], { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
mkdirSync(PACK_DIR, { recursive: true });
const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', PACK_DIR], {
  cwd: CLIENT_DIR,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [{ filename }] = JSON.parse(packed) as { filename: string }[];
console.log(join(PACK_DIR, filename));
