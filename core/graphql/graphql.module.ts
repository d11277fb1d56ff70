import type { ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { Request } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Context } from 'graphql-ws';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { AccessTokenService } from '../accounts/access-token.service.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { connectionSession, requestSessionToken } from '../http/web-session-cookie.js';
import { LOGGER } from '../logging/logger.js';
import { hideSuggestionsFromAnonymous } from './anonymous-suggestions.plugin.js';
import { errorCode } from './error-code.js';
import type { GraphqlContext } from './graphql-context.js';
import { introspectionEnabled } from './introspection.js';
import { MailEventsResolver } from './mail-events.resolver.js';
import { queryLimitsRule } from './query-limits.rule.js';
import { SessionResolver } from './session.resolver.js';
import { TwoFactorResolver } from './two-factor.resolver.js';
import { ExplorerAssetsController } from './explorer/explorer-assets.controller.js';
import { explorerLandingPage } from './explorer/explorer-landing-page.js';
import type { GraphqlWsConfig } from './websocket/graphql-ws.limits.js';
import { MailhiveApolloDriver } from './websocket/mailhive-apollo.driver.js';
import { WebsocketSessions } from './websocket/websocket-sessions.service.js';
import { WebsocketSessionsModule } from './websocket/websocket-sessions.module.js';

interface WsContext {
  connectionParams?: Record<string, unknown>;
  extra?: { request?: Request; socket?: WebSocket; mailhive?: Pick<GraphqlContext, 'account' | 'token'> };
}

/** Nest's options with our websocket limits (read by MailhiveApolloDriver). */
type MailhiveGraphqlOptions = ApolloDriverConfig & { subscriptions: { 'graphql-ws': GraphqlWsConfig } };

/**
 * One GraphQL endpoint for every module: a module contributes resolvers simply by being imported into the app;
 * the code-first schema is built from all of them. `publicCodes` are the error codes that are part of the API (core's
 * and those the loaded modules declare); any other error is a bug and reaches the client without its details.
 */
@Module({})
export class MailhiveGraphqlModule {
  static forRoot(publicCodes: ReadonlySet<string>): DynamicModule {
    return {
      module: MailhiveGraphqlModule,
      imports: [WebsocketSessionsModule, graphqlEndpoint(publicCodes)],
      providers: [SessionResolver, TwoFactorResolver, MailEventsResolver],
      controllers: [ExplorerAssetsController],
    };
  }
}

function graphqlEndpoint(publicCodes: ReadonlySet<string>): DynamicModule {
  return GraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: MailhiveApolloDriver,
    imports: [WebsocketSessionsModule],
    inject: [MAILHIVE_CONFIG, AccessTokenService, LOGGER, WebsocketSessions],
    useFactory: (
      config: MailhiveConfig,
      tokens: AccessTokenService,
      logger: Logger,
      sockets: WebsocketSessions,
    ): MailhiveGraphqlOptions => {
      const resolveToken = async (token: string | null): Promise<Pick<GraphqlContext, 'account' | 'token'>> => {
        const verified = token ? await tokens.verifySession(token) : null;
        return { account: verified?.account ?? null, token: verified ? token : null };
      };
      return {
        path: '/graphql',
        autoSchemaFile: true,
        sortSchema: true,
        introspection: introspectionEnabled(config.graphqlIntrospection, process.env.NODE_ENV),
        plugins: [hideSuggestionsFromAnonymous(), explorerLandingPage()],
        playground: false,
        includeStacktraceInErrorResponses: false,
        validationRules: [queryLimitsRule()],
        subscriptions: {
          'graphql-ws': {
            path: '/graphql',
            maxPayload: config.graphqlWsMaxPayload,
            initTimeoutMs: config.graphqlWsInitTimeoutMs,
            // The token travels in connection_init as { authorization: 'Bearer ...' } (or the bare token), or the
            // web client's cookie with { csrf } from a page of our origin; a cookie offered otherwise closes the socket.
            onConnect: async (context: Context<Record<string, unknown> | undefined, unknown>) => {
              const extra = context.extra as WsContext['extra'];
              const offered = connectionSession(extra?.request, context.connectionParams);
              if (!offered.ok) return false;
              const resolved = await resolveToken(offered.token);
              if (extra) extra.mailhive = resolved;
              // No anonymous sockets (graphql-ws answers false with 4403); a socket ends with its session.
              return resolved.token !== null && extra?.socket !== undefined && (await sockets.follow(extra.socket, resolved.token));
            },
          },
        },
        context: async (input: { req?: Request } & WsContext): Promise<GraphqlContext> => {
          if (input.extra?.mailhive) {
            return { ...input.extra.mailhive, remoteAddress: input.extra.request?.socket.remoteAddress ?? '' };
          }
          const req = input.req;
          const resolved = await resolveToken(req ? requestSessionToken(req) : null);
          return { req, ...resolved, remoteAddress: req?.ip ?? req?.socket.remoteAddress ?? '' };
        },
        formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
          const code = errorCode(formatted, error);
          if (publicCodes.has(code))
            return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
          logger.error(
            { err: error instanceof GraphQLError ? (error.originalError ?? error) : error, path: formatted.path },
            'GraphQL resolver failed',
          );
          return { message: 'internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
        },
      };
    },
  });
}
