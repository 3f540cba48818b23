import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noElectronInCore = {
  paths: [
    {
      name: 'electron',
      message: 'The core is plain Node: reach Electron through an adapter in electron/.',
    },
  ],
  patterns: [{ group: ['**/renderer/**'], message: 'The core never imports the renderer.' }],
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
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ depends on nothing of the project.',
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
            {
              group: ['**/electron/**', '**/cli/**', '**/web/**', '**/sandbox/**'],
              message: 'The renderer may import shared/ only.',
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
      ],
    },
  },
);
