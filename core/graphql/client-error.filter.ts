import { Catch, Inject, type ArgumentsHost } from '@nestjs/common';
import type { GqlContextType, GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { LOGGER } from '../logging/logger.js';

/**
 * A GraphQLError with a code is a refusal a resolver or guard chose (INVALID_CREDENTIALS, LOCKED, NOT_FOUND,
 * UNAUTHENTICATED, ...): a client's mistake, logged at info and handed to GraphQL as the field's error. Without this
 * filter Nest's default handler logs every one of them at error level, burying real faults under wrong passwords.
 * Anything else is left to the default handler and formatError, which log it as the fault it is.
 */
@Catch(GraphQLError)
export class GraphqlClientErrorFilter implements GqlExceptionFilter<GraphQLError, GraphQLError | undefined> {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: GraphQLError, host: ArgumentsHost): GraphQLError | undefined {
    const code = error.extensions?.code;
    if (host.getType<GqlContextType>() !== 'graphql' || typeof code !== 'string' || code === 'INTERNAL_SERVER_ERROR') return undefined;
    this.logger.info({ code }, `GraphQL request refused: ${error.message}`);
    // graphql-js treats an Error returned by a resolver as that field's error.
    return error;
  }
}
