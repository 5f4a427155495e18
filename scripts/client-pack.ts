/**
 * `npm run client:pack`: builds the client package (`npm run client:build`: client/dist) and packs
 * it with `npm pack`, as it would be published: the tarball is what a web app installs
 * (`npm install <tarball>`; examples/web does). The build's and npm's own output go to stderr;
 * stdout's one line, the last, is the tarball's absolute path (client/<name>-<version>.tgz).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');
const CLIENT_DIR = join(root, 'client');

execFileSync('npm', ['run', 'client:build'], { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', CLIENT_DIR], {
  cwd: CLIENT_DIR,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [{ filename }] = JSON.parse(packed) as { filename: string }[];
console.log(join(CLIENT_DIR, filename));
