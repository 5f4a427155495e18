// ESLint (flat config): typescript-eslint's type-aware recommended rules over the whole codebase;
// formatting is Prettier's (eslint-config-prettier turns off the rules that would disagree).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'coverage/**',
      'test-results/**',
      '.data/**',
      'client/dist/**',
      // The example app is its own package, on the packed client: it is type-checked (strict) by
      // its own tsc against the installed tarball (npm run example:web), not from this checkout.
      'examples/**',
      // Generated: by the Swagger CLI plugin, openapi-typescript and kysely-codegen.
      'src/metadata.ts',
      'client/src/schema.d.ts',
      'src/database/schema.generated.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_`-prefixed names are deliberately unused (destructuring a field away).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Nest and Jest hand `async` callbacks to APIs typed as returning void.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // Implementations of asynchronous interfaces (the paper broker, Kysely drivers, throttler
      // hooks, test doubles) are `async` without awaiting anything: that is their contract.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read HTTP answers as supertest hands them over (`res.body` is `any`): the unsafe-any
    // rules would ask for a cast on every assertion. The code under test keeps them.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The browser test page is type-checked with DOM types by client/tsconfig.json.
    files: ['test/browser/page/**/*.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './client/tsconfig.json' } },
  },
  {
    // Plain JavaScript config and scripts: no type information.
    files: ['**/*.{js,cjs,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
