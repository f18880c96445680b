// @ts-check
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'https',
  'net',
  'stream',
  'url',
  'worker_threads',
  'util',
];

/**
 * The dependency direction of docs/architecture.md#layers, enforced on resolved paths:
 * renderer → shared; main → shared; app → main, shared; shared → nothing of ours.
 */
const topZones = [
  { target: './shared', from: ['./main', './app', './renderer'], message: 'shared/ imports nothing of ours.' },
  { target: './renderer', from: ['./main', './app'], message: 'renderer/ talks to main only through shared/api and a bridge.' },
  { target: './main', from: ['./app', './renderer'], message: 'main/ is plain Node: it never imports app/ or renderer/.' },
  { target: './app', from: ['./renderer'], message: 'app/ never imports the renderer.' },
];

/**
 * Inside main/ the layers run core → services → sync → ledger → store
 * (docs/architecture.md#layers-inside-main). Unlike `import-x/no-cycle`, these zones see type-only
 * imports too. Tests may reach across layers (a sync test opens a whole Movelog).
 */
const mainZones = [
  { target: './main/store', from: './main', except: ['./store'], message: 'main/store is the bottom layer: it imports nothing of ours above it.' },
  {
    target: './main/ledger',
    from: ['./main/sync', './main/services', './main/host', './main/cli', './main/core.ts'],
    message: 'main/ledger imports neither sync, services, host, cli nor core.',
  },
  {
    target: './main/sync',
    from: ['./main/services', './main/host', './main/cli', './main/core.ts'],
    message: 'main/sync imports neither services, host, cli nor core: it depends on SyncNode (main/sync/node.ts).',
  },
];

const layering = { 'import-x/no-restricted-paths': ['error', { zones: topZones }] };

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.app.json', './tsconfig.web.json', './tsconfig.test.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          noWarnOnMultipleProjects: true,
          project: ['./tsconfig.node.json', './tsconfig.web.json', './tsconfig.test.json'],
        }),
      ],
    },
    rules: {
      ...layering,
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      'no-console': 'off',
      // Arrow shorthands like `() => ws.close()` read better than braces; other void returns are still errors.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
    },
  },
  {
    // In tests, `!` on an element the test itself just created reads better than a guard, and a
    // wrong assumption fails the test anyway.
    files: ['**/*.test.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...NODE_BUILTINS, 'electron', 'react', 'react-dom'], message: 'shared/ runs everywhere: no Node, Electron or DOM libraries.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...NODE_BUILTINS, 'electron', 'better-sqlite3-multiple-ciphers'],
              message: 'renderer/ has no Node or Electron: use the bridge.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: [...topZones, ...mainZones] }] },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'main/ is plain Node and never imports electron (app/ wires it).' }] },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
);
