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
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'coverage/**', 'test-results/**'] },
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
);
