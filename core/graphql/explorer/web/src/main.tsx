import { GraphiQL, type GraphiQLProps } from 'graphiql';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';
import './explorer.css';

/** What the explorer starts with: how to authenticate, since every field but login needs a session. */
const FIRST_QUERY = `# Mailhive GraphQL explorer
# 1. Sign in:
#    mutation {
#      login(email: "you@example.org", password: "...") { token }
#    }
# 2. In Headers below: { "authorization": "Bearer <token>" }
# 3. Run a query:
query Me {
  me { address displayName quotaBytes }
}
`;

/** Plain POSTs of JSON to this server's /graphql (Apollo's CSRF guard accepts them); no third-party service. */
const fetcher: GraphiQLProps['fetcher'] = async (params, options) => {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { ...options?.headers, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(params),
    credentials: 'omit',
  });
  return response.json();
};

createRoot(document.getElementById('explorer')!).render(<GraphiQL fetcher={fetcher} defaultQuery={FIRST_QUERY} />);
