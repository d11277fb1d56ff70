import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const backend = process.env.MAILHIVE_DEV_BACKEND ?? 'http://127.0.0.1:9900';

// The webmail client: static files in dist/webmail-web/, served by the webmail module on `/`.
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../../dist/webmail-web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    proxy: {
      '/graphql': { target: backend, ws: true },
      '/api': backend,
    },
  },
});
