import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * Layering as an allow-list: each folder of the project names the folders it may import from
 * (VS Code's layering rule). Hosts reach the engine only through its public index. Tests,
 * end-to-end tests and benchmarks may import anything.
 */
const LAYERS = {
  shared: [],
  'electron/core': ['shared'],
  electron: ['electron/core/index.ts', 'shared'],
  renderer: ['shared'],
  cli: ['electron/core/index.ts', 'shared'],
  web: ['electron/core/index.ts', 'shared'],
  sandbox: ['electron/core/index.ts', 'shared'],
};
const FOLDERS = ['shared', 'electron/core', 'electron', 'renderer', 'cli', 'web', 'sandbox'];

/** no-restricted-paths zones: for each layer, every other folder it is not allowed. */
function layeringZones() {
  const zones = [];
  for (const [target, allowed] of Object.entries(LAYERS)) {
    for (const from of FOLDERS) {
      if (from === target) continue;
      // electron/ holds electron/core: the glue's own files are electron/*.ts.
      if (target === 'electron/core' && from === 'electron') continue;
      const index = allowed.find((a) => a.startsWith(`${from}/`));
      if (allowed.includes(from)) continue;
      if (target === 'electron' && from === 'electron/core') {
        zones.push({
          target: './electron/*.ts',
          from: './electron/core',
          except: ['./index.ts'],
          message: 'The Electron glue reaches the engine through electron/core/index.ts.',
        });
        continue;
      }
      if (from === 'electron' && target !== 'electron/core') {
        // The glue's own files (electron/*.ts), not the engine below it.
        zones.push({
          target: `./${target}`,
          from: './electron/*.ts',
          message: `${target}/ may import ${allowed.join(', ') || 'nothing of the project'}.`,
        });
        continue;
      }
      zones.push({
        target: target === 'electron' ? './electron/*.ts' : `./${target}`,
        from: `./${from}`,
        ...(index ? { except: [`./${index.slice(from.length + 1)}`] } : {}),
        message: `${target}/ may import ${allowed.join(', ') || 'nothing of the project'}${index ? ' (the engine through its index only)' : ''}.`,
      });
    }
  }
  return zones;
}

const noElectronInCore = {
  paths: [
    {
      name: 'electron',
      message: 'The core is plain Node: reach Electron through an adapter in electron/.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      'coverage/**',
      'test-results/**',
      'e2e/artifacts/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          noWarnOnMultipleProjects: true,
          project: ['tsconfig.json', 'renderer/tsconfig.json', 'electron/tsconfig.json'],
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layeringZones() }],
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'undici', 'node-forge', 'jks-js'],
              message: 'shared/ is pure TypeScript: no Node, Electron or DOM.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noElectronInCore] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'undici', 'node-forge', 'jks-js'],
              message: 'The renderer talks to the core only through the contract.',
            },
          ],
        },
      ],
    },
  },
  {
    // Raw IPC lives in exactly two files: the main-side registrar and the preload.
    files: ['**/*.{ts,tsx}'],
    ignores: ['electron/ipc-registrar.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportSpecifier[imported.name=/^ipc(Main|Renderer)$/]',
          message:
            'Use the typed contract; raw IPC belongs in electron/ipc-registrar.ts and electron/preload.ts.',
        },
        {
          // zod's `z` export is its whole namespace as one object: a bundler must keep all of it,
          // every locale included (~370 KB in each CLI command and the renderer).
          selector: "ImportDeclaration[source.value='zod'][importKind='value'] > ImportSpecifier",
          message:
            "import * as z from 'zod' (a named import keeps every zod locale in the bundles).",
        },
      ],
    },
  },
  {
    // A module that grows past this is doing two things: split it by what it does.
    files: ['{electron,shared,cli,renderer,web,sandbox,build}/**/*.{ts,tsx,mjs}'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },
);
