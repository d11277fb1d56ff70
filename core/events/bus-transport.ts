import { Transport, type ClientOptions, type MicroserviceOptions } from '@nestjs/microservices';

/** `nats://host:port` or `redis://host:port` → the @nestjs/microservices transport options for client and server. */
export function busTransportOptions(busUrl: string): ClientOptions & MicroserviceOptions {
  const url = new URL(busUrl);
  if (url.protocol === 'nats:') {
    return {
      transport: Transport.NATS,
      // Reconnect for ever (-1), as for Redis below: the NATS client's default gives up after ten tries.
      options: { servers: [`nats://${url.host}`], name: 'mailhive', maxReconnectAttempts: -1, reconnectTimeWait: 500 },
    } as ClientOptions & MicroserviceOptions;
  }
  return {
    transport: Transport.REDIS,
    options: {
      host: url.hostname,
      port: Number(url.port || 6379),
      password: url.password ? decodeURIComponent(url.password) : undefined,
      // Reconnect for ever: a bus outage must not stop the node, events resume when the bus is back.
      retryAttempts: Number.MAX_SAFE_INTEGER,
      retryDelay: 1000,
    },
  } as ClientOptions & MicroserviceOptions;
}
