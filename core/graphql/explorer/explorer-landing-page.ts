import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { EXPLORER_CSP, EXPLORER_DIR } from './explorer-files.js';

const NOT_BUILT = '<!doctype html><title>GraphQL explorer</title><p>The GraphQL explorer is not built: run <code>npm run build</code>.</p>';

/**
 * What a browser gets for GET /graphql (Apollo serves a landing page to requests that prefer HTML): the bundled
 * GraphiQL explorer. API clients are unaffected: they POST, or GET with a query.
 */
export function explorerLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      let html: string;
      try {
        html = await readFile(join(EXPLORER_DIR, 'index.html'), 'utf8');
      } catch {
        html = NOT_BUILT;
      }
      // Apollo sends the page with headers of its own; the policy rides in the page.
      const page = html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${EXPLORER_CSP}" />`);
      return { renderLandingPage: async () => ({ html: page }) };
    },
  };
}
