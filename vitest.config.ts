import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 has no "exports": Node loads its CommonJS build, Vite would pick the ESM one ("module"), and two
    // copies of graphql refuse each other's types. Resolve it the way Node does.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: [
      'app/**/*.spec.ts',
      'core/**/*.spec.ts',
      'modules/**/*.spec.ts',
      'mobile-api/**/*.spec.ts',
      'plugins/**/*.spec.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
