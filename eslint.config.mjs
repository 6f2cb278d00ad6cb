// ESLint (flat config): `npm run lint`, a step of `npm test`. Run it through
// tools/typescript-5.mjs (the npm script does): typescript-eslint needs TypeScript's JavaScript
// API, which TypeScript 7 (the project's type checker) does not have.
import js from '@eslint/js';
import litA11y from 'eslint-plugin-lit-a11y';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Code that runs in a browser page: the widget, its browser tests, the demo pages. */
const browserFiles = ['src/**/*.ts', 'test/**/*.test.ts', 'test/helpers/**/*.ts', 'test/frameworks/**/*.ts', 'demo/*.js', 'demo/playground/**/*.js'];
/** Code that runs in Node: servers, the proxy, scripts, configs, Node-side tests. */
const nodeFiles = ['**/*.mjs', '**/*.cjs', 'vite.config.ts', 'demo/serve.ts', 'demo/server/**', 'demo/proxy/**', 'bench/**', 'test/e2e/**', 'test/pack/**', 'test/server/**', 'test/proxy/**', 'test/node/**', 'src/proxy/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: browserFiles, languageOptions: { globals: globals.browser } },
  { files: nodeFiles, languageOptions: { globals: globals.node } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Lit templates and custom elements: the widget and everything that renders it in a page.
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'demo/**/*.js'],
    ...lit.configs['flat/recommended'],
  },
  { files: ['src/**/*.ts'], ...wc.configs['flat/recommended'] },
  { files: ['src/**/*.ts'], ...litA11y.configs.recommended },
  {
    files: ['src/**/*.ts'],
    rules: {
      // Deliberate: WebKit (VoiceOver) drops the list semantics of a <ul> styled `list-style: none`
      // unless role="list" is explicit, so the "redundant" role is what keeps it a list there.
      'lit-a11y/no-redundant-role': 'off',
    },
  },
  {
    files: ['src/element/**'],
    rules: {
      // A field that only holds a ReactiveController is used: the controller registers itself
      // with the element in its constructor and runs from the element's lifecycle.
      'no-unused-private-class-members': 'off',
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      // Chai's property assertions (`expect(x).to.be.true`) are expressions by design.
      '@typescript-eslint/no-unused-expressions': 'off',
      // Tests and benchmarks read untyped JSON off the wire and reach into framework internals.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    rules: {
      // `_name` marks a parameter that an interface requires but this implementation ignores.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `const self = this` for getters on an object literal, where `this` is that object.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
    },
  },
);
