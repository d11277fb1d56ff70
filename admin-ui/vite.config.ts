import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const backend = process.env.MAILHIVE_DEV_BACKEND ?? 'http://127.0.0.1:9900';

// WebAdmin: static files in dist/admin-ui/, served by the webadmin module on `/admin`.
export default defineConfig({
  root: here,
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/admin-ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    proxy: { '/graphql': backend },
  },
});
