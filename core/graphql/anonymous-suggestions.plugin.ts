import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphqlContext } from './graphql-context.js';

/** graphql-js appends its suggestions to the message: `Cannot query field "mee" on type "Query". Did you mean "me"?` */
const SUGGESTION = ' Did you mean ';

export function withoutSuggestion(message: string): string {
  const at = message.indexOf(SUGGESTION);
  return at === -1 ? message : message.slice(0, at);
}

/**
 * Field, argument and type suggestions spell out the schema to whoever guesses at it; a caller that has not signed
 * in gets the errors without them (introspection aside, they are the way to map an API from outside).
 */
export function hideSuggestionsFromAnonymous(): ApolloServerPlugin<GraphqlContext> {
  return {
    requestDidStart: async () => ({
      willSendResponse: async ({ response, contextValue }) => {
        if (contextValue.account || response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        if (result.errors) result.errors = result.errors.map((error) => ({ ...error, message: withoutSuggestion(error.message) }));
      },
    }),
  };
}
