import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// The GraphQL explorer (GraphiQL, bundled: no CDN): static files in dist/graphql-explorer/. Its page is what a browser
// gets for GET /graphql; its assets are served on /graphiql/assets/.
export default defineConfig({
  root: here,
  base: '/graphiql/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../../../dist/graphql-explorer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Monaco, the explorer's editor, is one large chunk by design; it loads only on this page.
    chunkSizeWarningLimit: 4096,
  },
});
