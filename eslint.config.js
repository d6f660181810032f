// @ts-check
/**
 * Type-aware lint. The layer rules at the bottom enforce ARCHITECTURE.md's import direction:
 * protocol ← guacd ← tunnel ← app (auth, extensions, config, rest, web); proxy imports only protocol.
 */
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Every internal layer, as import patterns that match relative specifiers. */
const LAYERS = [
  'protocol',
  'guacd',
  'tunnel',
  'auth',
  'extensions',
  'config',
  'rest',
  'web',
  'proxy',
];

/**
 * Builds a no-restricted-imports rule that forbids every layer not in `allowed`.
 * @param {string} self the folder the rule applies to
 * @param {string[]} allowed the layers it may import
 * @param {string[]} [extra] more forbidden specifiers or patterns
 * @param {string[]} [exceptions] negated patterns that re-allow single modules
 */
function layerRule(self, allowed, extra = [], exceptions = []) {
  const forbidden = LAYERS.filter((l) => l !== self && !allowed.includes(l));
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            // `**/<layer>/*` rather than the folder itself, so a `!` exception can re-allow one file in it
            // (gitignore rules cannot re-include a file whose folder is excluded).
            group: [
              ...forbidden.flatMap((l) =>
                exceptions.some((e) => e.includes(`/${l}/`))
                  ? [`**/${l}/*`]
                  : [`**/${l}/*`, `**/${l}`],
              ),
              ...exceptions,
            ],
            message: `src/${self} may import only ${allowed.join(', ') || 'nothing outside itself'} (see ARCHITECTURE.md).`,
          },
          ...(extra.length > 0
            ? [
                {
                  group: extra,
                  message: `src/${self} must stay free of I/O frameworks (see ARCHITECTURE.md).`,
                },
              ]
            : []),
        ],
      },
    ],
  };
}

const IO_FRAMEWORKS = ['express', 'ws', 'pino', 'node:net', 'node:tls', 'node:http', 'node:https'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'extensions/*/dist/**',
      'node_modules/**',
      'coverage/**',
      'bench/.corpus/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] } },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/return-await': ['error', 'always'],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // `as T` is kept over `!`: strictTypeChecked forbids non-null assertions, and the cast names the type.
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
      'no-console': 'error',
    },
  },
  {
    files: [
      'scripts/**',
      'bench/**',
      'examples/**',
      'src/main.ts',
      'src/proxy/daemon.ts',
      'eslint.config.js',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: globals.node,
    },
  },
  {
    // Browser assets: plain modern JS served as-is, no type information.
    files: ['src/web/public/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  { files: ['src/protocol/**'], rules: layerRule('protocol', [], IO_FRAMEWORKS) },
  { files: ['src/proxy/**'], rules: layerRule('proxy', ['protocol'], ['express', 'ws', 'pino']) },
  { files: ['src/config/**'], rules: layerRule('config', ['protocol'], ['express', 'ws']) },
  {
    files: ['src/guacd/**'],
    rules: layerRule('guacd', ['protocol', 'proxy'], ['express', 'ws'], ['!**/config/property.js']),
  },
  {
    files: ['src/tunnel/**'],
    rules: layerRule('tunnel', ['protocol', 'guacd'], [], ['!**/config/property.js']),
  },
);
