import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_INIT_TIMEOUT, CLOSE_INTERNAL_ERROR, CLOSE_UNAUTHORIZED, WS_KEEPALIVE_MS } from './graphql-ws.limits.js';
import { isConnectionInit } from './pre-auth-frame.js';

/** What graphql-ws hooks see as `ctx.extra`, as with graphql-ws's own `useServer`. */
export interface WsExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

export interface GraphqlWsServerOptions {
  path: string;
  maxPayload: number;
  initTimeoutMs: number;
  graphqlWs: ServerOptions<Record<string, unknown> | undefined, WsExtra>;
  onInternalError(error: unknown): void;
}

export interface GraphqlWsServer {
  stop(): Promise<void>;
}

/** Answers an upgrade request that is not for the GraphQL endpoint, so its socket is not left open. */
function refuseUpgrade(socket: Duplex): void {
  socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  socket.destroy();
}

/**
 * graphql-ws on `ws`, as Nest's subscription service sets it up, with what that one cannot be told:
 * `maxPayload` (ws defaults to 100 MiB, buffered for anyone), an absolute deadline for an authenticated
 * connection_init, no other message before authentication, and upgrades to any other path refused.
 */
export function attachGraphqlWs(httpServer: HttpServer, options: GraphqlWsServerOptions): GraphqlWsServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload, handleProtocols });
  const acknowledged = new WeakSet<WebSocket>();
  const server = makeServer<Record<string, unknown> | undefined, WsExtra>({
    ...options.graphqlWs,
    // The deadline below covers a missing and a refused init alike.
    connectionInitWaitTimeout: 0,
    onConnect: async (ctx) => {
      const permitted = await options.graphqlWs.onConnect?.(ctx);
      if (permitted !== false) acknowledged.add(ctx.extra.socket);
      return permitted;
    },
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== options.path) {
      refuseUpgrade(socket);
      return;
    }
    wss.handleUpgrade(request, socket, head, (websocket) => wss.emit('connection', websocket, request));
  };
  httpServer.on('upgrade', onUpgrade);

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    // ws closes the socket itself on a protocol error (1009 for a frame over maxPayload) and reports it here;
    // the listener only keeps the report from becoming an uncaught 'error' event.
    socket.on('error', () => undefined);
    const deadline = setTimeout(() => {
      if (!acknowledged.has(socket)) socket.close(CLOSE_INIT_TIMEOUT, 'Connection initialisation timeout');
    }, options.initTimeoutMs);
    let pongWait: NodeJS.Timeout | null = null;
    const keepAlive = setInterval(() => {
      if (socket.readyState !== socket.OPEN || pongWait) return;
      pongWait = setTimeout(() => socket.terminate(), WS_KEEPALIVE_MS);
      socket.once('pong', () => {
        if (pongWait) clearTimeout(pongWait);
        pongWait = null;
      });
      socket.ping();
    }, WS_KEEPALIVE_MS);
    let framesBeforeAck = 0;
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            const text = String(data);
            // Before authentication the one message allowed is connection_init: no pings, no subscribe.
            if (!acknowledged.has(socket) && (++framesBeforeAck > 1 || !isConnectionInit(text))) {
              socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
              return;
            }
            handle(text).catch((error: unknown) => {
              options.onInternalError(error);
              socket.close(CLOSE_INTERNAL_ERROR, 'Internal server error');
            });
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      clearTimeout(deadline);
      clearInterval(keepAlive);
      if (pongWait) clearTimeout(pongWait);
      closed(code, String(reason)).catch(options.onInternalError);
    });
  });

  return {
    stop: async () => {
      httpServer.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.close(1001, 'Going away');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
