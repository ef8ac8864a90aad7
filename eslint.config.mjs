// ESLint (flat config): typescript-eslint's recommended rules on every part; `npm run lint`.
// Type checking is tsc's (`npm run typecheck`); formatting is Prettier's (`npm run format`).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'out/', '.tsbuild/', 'node_modules/', '.cache/', 'test-artifacts/', 'models/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  { languageOptions: { globals: globals.node } },
  // The compare panel's page runs in the webview (a browser), nothing else does.
  { files: ['media/src/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `any` stays where parsed JSON and test doubles meet typed code; tsc's strict mode guards the rest.
      '@typescript-eslint/no-explicit-any': 'off',
      // An object literal's getters and setters that forward to the instance.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
      // Expected output with its indentation reads better with the spaces written out.
      'no-regex-spaces': 'off',
    },
  },
  // Tests and benchmarks load modules late on purpose (after installing the `vscode` stand-in, or
  // optional ones such as playwright-core).
  { files: ['test/**', 'bench/**'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
