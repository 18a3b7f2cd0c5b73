// Lint: TypeScript-aware rules, React hooks rules, and the layering of STYLE.md enforced with
// no-restricted-imports (pure math and models never import React, the DOM libraries or Plotly;
// the UI never imports TF.js).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const UI_LIBS = [
  'react',
  'react-dom',
  'react-dom/*',
  'plotly.js',
  'plotly.js/*',
  'katex',
  'katex/*',
];
const TFJS = ['@tensorflow/*'];

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  {
    ignores: ['dist', 'dist-cli', 'dist-bench', 'node_modules', 'datasets', 'tests/browser/output'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/core/**'],
    rules: restrict([...UI_LIBS, ...TFJS, '../*'], 'src/core is pure: no imports outside core.'),
  },
  {
    files: ['src/tf/**', 'src/models/**', 'src/data/**', 'src/train/**'],
    rules: restrict(
      [...UI_LIBS, '**/ui/*', '**/worker/*', '**/state/*'],
      'Math, models, data and training import TF.js and core only: no React, DOM libraries or UI.',
    ),
  },
  {
    files: ['src/state/**'],
    rules: restrict([...UI_LIBS, ...TFJS, '**/ui/*'], 'State is plain data: no TF.js, no UI.'),
  },
  {
    files: ['src/ui/**', 'src/main.tsx'],
    rules: restrict(
      [
        ...TFJS,
        '**/train/trainer',
        '**/train/backend',
        '**/models/*',
        '!**/models/catalog',
        '**/tf/*',
      ],
      'The page never imports TF.js: training lives in the worker.',
    ),
  },
  {
    files: ['scripts/**/*.mjs', 'tests/**/*.mjs', '*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
