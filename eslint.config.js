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
  'preact',
  'preact/*',
  'plotly.js',
  'plotly.js/*',
  'katex',
  'katex/*',
];
const TFJS = ['@tensorflow/*'];

/** Layers from the bottom up, with the folders each may import (besides itself and its libraries). */
const LAYERS = {
  core: { may: [], libs: [] },
  contracts: { may: ['core'], libs: [] },
  ops: { may: ['core', 'contracts'], libs: ['tfjs'] },
  backends: { may: ['core', 'contracts'], libs: ['tfjs'] },
  data: { may: ['core', 'contracts'], libs: [] },
  models: { may: ['core', 'contracts', 'ops'], libs: ['tfjs'] },
  train: { may: ['core', 'contracts', 'ops', 'models', 'data'], libs: ['tfjs'] },
  worker: {
    may: ['core', 'contracts', 'ops', 'models', 'data', 'train', 'backends'],
    libs: ['tfjs'],
  },
  state: { may: ['core', 'contracts', 'data', 'worker'], libs: [] },
  ui: { may: ['core', 'contracts', 'data', 'worker', 'state'], libs: ['ui'] },
};
const FOLDERS = [...Object.keys(LAYERS), 'cli', 'bench'];

function layerRules() {
  return Object.entries(LAYERS).map(([layer, { may, libs }]) => {
    const banned = FOLDERS.filter((f) => f !== layer && !may.includes(f));
    const groups = banned.flatMap((f) => [`**/${f}/*`, `**/${f}/**`, `../${f}`]);
    if (!libs.includes('tfjs')) groups.push(...TFJS);
    if (!libs.includes('ui')) groups.push(...UI_LIBS);
    const message =
      `src/${layer} may import ${may.length ? may.join(', ') : 'nothing of ours'}` +
      ` (README "How it is built"): no import runs upward or sideways.`;
    const rule = { 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }] };
    // The worker client runs on the page: it may not pull TF.js or the training code in.
    return { files: [`src/${layer}/**`], rules: rule };
  });
}

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
  // The layers (README "How it is built"): each folder imports only the layers listed for it, so
  // no import runs upward. Entries (main.tsx, worker entry, cli/, bench/) may import anything.
  ...layerRules(),
  {
    files: ['scripts/**/*.mjs', 'tests/**/*.mjs', '*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
