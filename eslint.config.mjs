// Lint config: typescript-eslint with type information for every TypeScript file that a tsconfig includes, the Vue
// plugin for .vue files. `npm run lint` runs it together with `prettier --check`.
import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

const typed = [
  'packages/*/src/**/*.ts',
  'packages/{protocol,server,client,redis}/test/**/*.ts',
  'apps/*/test/**/*.ts',
  'bench/**/*.ts',
  'apps/demo/src/**/*.ts',
];

export default tseslint.config(
  {
    ignores: [
      // verbatim copies of the product page's samples: they must stay as published
      'packages/vue/test/seed/**',
      '**/dist/**',
      '**/node_modules/**',
      'coverage/**',
      '.bench-tmp/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: typed,
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.tests.json', './packages/*/tsconfig.json', './apps/demo/tsconfig.json', './bench/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' } },
    rules: {
      // TypeScript checks names (typescript-eslint's advice); Prettier owns layout.
      'no-undef': 'off',
      'vue/first-attribute-linebreak': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
    },
  },
  {
    // Tests mount small inline components next to each other.
    files: ['**/test/**/*.ts'],
    rules: { 'vue/one-component-per-file': 'off' },
  },
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', window: 'readonly', document: 'readonly' } },
    rules: {
      // Async implementations of async interfaces (stores, fakes of browser APIs) need no await; accidental async is
      // caught by no-floating-promises and no-misused-promises instead.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
