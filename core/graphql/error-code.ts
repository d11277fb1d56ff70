import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * The code a client sees. Apollo reports every validation error as GRAPHQL_VALIDATION_FAILED, over the code a
 * validation rule gave it (QUERY_TOO_COMPLEX), which it keeps only on the original error; that one wins.
 */
export function errorCode(formatted: GraphQLFormattedError, error: unknown): string {
  const code = String(formatted.extensions?.code ?? '');
  if (code !== 'GRAPHQL_VALIDATION_FAILED' || !(error instanceof GraphQLError) || !(error.originalError instanceof GraphQLError))
    return code;
  const raised = error.originalError.extensions.code;
  return typeof raised === 'string' ? raised : code;
}
