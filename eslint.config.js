// Type-aware lint: no-floating-promises catches an un-awaited promise that would hide a failure.
import tseslint from 'typescript-eslint';

/**
 * The layering (app → modules, mobile-api → core; inside core protocols → mail → store; plugins → plugin API), as
 * import zones; spec files may reach further to set up what they test. Imports are relative, so each zone names
 * the folder an import climbs to: from core/imap/fetch/x.ts, `../../store/...` is core/store.
 */
const zone = (regex, message) => ({ regex, message });
const STORE = zone('^(\\.\\./)+(store|blob)/', 'protocols reach mail through core/mail services, never the store (core/store, core/blob)');
const CORE_OUTWARD = zone(
  '^(\\.\\./)+(modules|mobile-api|app|plugins)/',
  'core depends on no module, mobile-api, plugin or the composition root (app/)',
);
const MODULE_STORE = zone(
  '^(\\.\\./)+core/(store|blob)/',
  'modules and mobile-api use core services, never the store (core/store, core/blob)',
);
const MODULE_APP = zone('^(\\.\\./)+app/', 'nothing imports the composition root (app/)');
const PLUGIN_CORE = zone(
  '^(\\.\\./)+(core/(?!plugin-host/plugin-api\\.js$)|modules/|mobile-api/|app/)',
  'plugins import only core/plugin-host/plugin-api.js',
);
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', '**/web/**', 'admin-ui/**', '*.config.*', 'scripts/**', 'bin/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/await-thenable': 'error',
      'no-debugger': 'error',
    },
  },
  { files: ['core/**/*.ts'], ignores: ['**/*.spec.ts'], rules: restrict(CORE_OUTWARD) },
  {
    files: ['core/smtp/**/*.ts', 'core/imap/**/*.ts', 'core/pop3/**/*.ts', 'core/transports/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: restrict(CORE_OUTWARD, STORE),
  },
  { files: ['modules/**/*.ts', 'mobile-api/**/*.ts'], ignores: ['**/*.spec.ts'], rules: restrict(MODULE_STORE, MODULE_APP) },
  { files: ['plugins/**/*.ts'], ignores: ['plugins/**/*.spec.ts'], rules: restrict(PLUGIN_CORE) },
  {
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
