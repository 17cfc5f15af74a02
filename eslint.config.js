// Lint: typescript-eslint's recommended rules, import cycles, and the borders between layers. A border only holds
// when a tool checks it; docs/ARCHITECTURE.md says what each layer may import, and this file enforces it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'module',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

/** Outside the engine, only its public entries may be imported: engine/index.ts, or engine/vocab for light bundles. */
const ENGINE_INSIDE = {
  regex: '(^|/)engine/(?!index\\.js$|vocab/index\\.js$)',
  message: 'Import the engine through engine/index.js (or engine/vocab/index.js for the vocabulary alone).',
};
const SERVER = {
  regex: '(^|/)server/',
  message: 'Client code must not import server code: share it through contracts/.',
};
const NODE = [
  { group: ['node:*'], message: 'The engine is pure: no Node APIs (file and network access live in io/ and server/).' },
  ...NODE_BUILTINS.map((name) => ({ regex: `^${name}$`, message: 'The engine is pure: no Node APIs.' })),
];
const PURE_OUTSIDE = (what) => ({
  regex: `(^|/)(io|server|cli|addin|sheets|templates|contracts|clients)/`,
  message: `${what} may import only the engine's own modules and data/.`,
});
const HOST_GLOBALS = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'fetch',
  'XMLHttpRequest',
  'Office',
  'Excel',
  'SpreadsheetApp',
  'UrlFetchApp',
  'PropertiesService',
  'HtmlService',
  'Utilities',
  'process',
  'Buffer',
  'require',
].map((name) => ({ name, message: 'The engine runs in every host: no DOM, Office, Apps Script or Node globals.' }));

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'test-output/**',
      '.data/**',
      'coverage/**',
      '**/*.d.ts',
      'tests/corpus/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } }),
      ],
    },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-unresolved': ['error', { ignore: ['\\.html$', '^\\.\\./dist/'] }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression[source.type!="Literal"]',
          message: 'import() on a computed string cannot be checked by tsc: import a literal path.',
        },
      ],
      // A closure may read a variable that is assigned once after it is created (pane callbacks).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['engine/**/*.ts', 'data/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...NODE, PURE_OUTSIDE('The engine')] }],
      'no-restricted-globals': ['error', ...HOST_GLOBALS],
    },
  },
  {
    files: ['contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...NODE, ENGINE_INSIDE, PURE_OUTSIDE('contracts/')] }],
    },
  },
  {
    files: ['io/**/*.ts', 'templates/**/*.ts', 'server/**/*.ts', 'cli/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ENGINE_INSIDE] }] },
  },
  {
    files: [
      'addin/**/*.ts',
      'sheets/**/*.ts',
      'server/dashboard/**/*.ts',
      'server/dashboard/**/*.js',
      'clients/**/*.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [ENGINE_INSIDE, SERVER] }] },
  },
  {
    files: ['server/dashboard/**/*.ts', 'server/dashboard/**/*.js'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ENGINE_INSIDE,
            {
              regex: '^\\.\\./(?!\\.\\./)',
              message: 'The dashboard is a client: no server code (types come from contracts/).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/dashboard/public/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // Tests prove behaviour of every module, inside the engine too; fakes stand in for hosts.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
