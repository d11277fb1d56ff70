import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';

/** graphql-ws keep-alive: a ping this often, and a socket that does not answer within the same time is dropped. */
export const WS_KEEPALIVE_MS = 12_000;

/** RFC 6455 §7.4.1: 1009, a message too big to process (ws sends it when a frame exceeds maxPayload). */
export const CLOSE_MESSAGE_TOO_BIG = 1009;
/** graphql-ws close codes (its PROTOCOL.md). */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_INIT_TIMEOUT = 4408;
export const CLOSE_INTERNAL_ERROR = 4500;

/**
 * The websocket side of the GraphQL endpoint: graphql-ws hooks plus the limits `ws` and graphql-ws do not take
 * from Nest's options. Every limit comes from the configuration.
 */
export interface GraphqlWsConfig extends GraphQLWsSubscriptionsConfig {
  path: string;
  /** Largest message `ws` buffers; a bigger frame is refused from its header, before its body arrives. */
  maxPayload: number;
  /** A socket not authenticated by connection_init within this many milliseconds is closed (4408). */
  initTimeoutMs: number;
}

export function isGraphqlWsConfig(value: unknown): value is GraphqlWsConfig {
  const config = value as Partial<GraphqlWsConfig> | null;
  return (
    typeof config === 'object' &&
    config !== null &&
    typeof config.path === 'string' &&
    typeof config.maxPayload === 'number' &&
    typeof config.initTimeoutMs === 'number'
  );
}
