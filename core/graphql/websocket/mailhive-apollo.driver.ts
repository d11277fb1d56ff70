import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Injectable, Logger } from '@nestjs/common';
import {
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { attachGraphqlWs, type GraphqlWsServer } from './graphql-ws.server.js';
import { isGraphqlWsConfig } from './graphql-ws.limits.js';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Apollo over HTTP as Nest sets it up, with our own graphql-ws server for `subscriptions['graphql-ws']`:
 * Nest's cannot bound message sizes or the wait for authentication, and it skips the HTTP endpoint's validation
 * rules (query limits, introspection switch) and error formatting, which the websocket path must share.
 */
@Injectable()
export class MailhiveApolloDriver extends ApolloDriver {
  private readonly log = new Logger('GraphqlWebsocket');
  private websocket: GraphqlWsServer | null = null;

  override async start(options: ApolloDriverConfig): Promise<void> {
    const { subscriptions, ...http } = options;
    await super.start(http);
    const config = subscriptions?.['graphql-ws'];
    if (!isGraphqlWsConfig(config)) return;
    const schema = options.schema as GraphQLSchema;
    const rules: ValidationRule[] = [
      ...specifiedRules,
      ...((options.validationRules ?? []) as ValidationRule[]),
      ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
    ];
    const formatError = options.formatError as FormatError | undefined;
    const format = (errors: readonly { toJSON(): GraphQLFormattedError }[]) =>
      errors.map((error) => (formatError ? formatError(error.toJSON(), error) : error.toJSON()));
    const { path, maxPayload, initTimeoutMs, ...hooks } = config;
    this.websocket = attachGraphqlWs(this.httpAdapterHost.httpAdapter.getHttpServer(), {
      path,
      maxPayload,
      initTimeoutMs,
      graphqlWs: {
        ...hooks,
        schema,
        context: options.context as never,
        validate: (target, document) => validate(target, document, rules),
        onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : result),
        onError: (_ctx, _id, _payload, errors) => format(errors),
      },
      onInternalError: (error) => this.log.error(error instanceof Error ? error.message : String(error)),
    });
  }

  override async stop(): Promise<void> {
    await this.websocket?.stop();
    this.websocket = null;
    await super.stop();
  }
}
