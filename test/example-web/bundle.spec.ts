import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What `vite build` made of the example app (examples/web/dist, see `npm run example:web`): it
 * holds the client, and nothing of the server. The bundle is minified, so the checks look for
 * what survives minification: package names and module specifiers.
 */
const ASSETS = join(__dirname, '..', '..', 'examples', 'web', 'dist', 'assets');

describe('the example app bundle', () => {
  const scripts = readdirSync(ASSETS).filter((file) => file.endsWith('.js'));
  const bundle = scripts.map((file) => readFileSync(join(ASSETS, file), 'utf8')).join('\n');

  it('holds the client, with its localStorage migration', () => {
    expect(scripts.length).toBeGreaterThan(0);
    expect(bundle).toContain('fyntrix_local_storage_migrated_v1');
    expect(bundle).toContain('arise_disclosure_accepted_v1');
  });

  it.each([
    ['NestJS', /@nestjs\//],
    ['TypeORM', /typeorm/i],
    ['class-validator', /class-validator/],
    ['a Node built-in', /["'`]node:[\w/]+["'`]/],
    ['a Node module Vite left out for the browser', /__vite-browser-external/],
  ])('holds no %s', (_, pattern) => {
    expect(bundle).not.toMatch(pattern);
  });
});
