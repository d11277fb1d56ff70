import { createClient, type Client } from 'graphql-ws';
import { MAIL_EVENTS } from './operations.js';
import type { MailEvent } from './types.js';
import { csrfToken } from './web-session.js';

/**
 * Subscribes to mailEvents over graphql-ws on /graphql: the upgrade carries the session cookie, connection_init the
 * csrf value that makes the server accept it (read again on every reconnect); reconnects by itself. Returns the function that closes the subscription and the socket.
 */
export function subscribeMailEvents(onEvent: (event: MailEvent) => void, onReconnected: () => void): () => void {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  let connectedOnce = false;
  const client: Client = createClient({
    url: `${scheme}//${location.host}/graphql`,
    connectionParams: () => ({ csrf: csrfToken() }),
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    on: {
      // After a reconnect, events may have been missed: the caller reloads what it shows.
      connected: () => {
        if (connectedOnce) onReconnected();
        connectedOnce = true;
      },
    },
  });
  const unsubscribe = client.subscribe<{ mailEvents: MailEvent }>(
    { query: MAIL_EVENTS },
    {
      next: (result) => {
        if (result.data) onEvent(result.data.mailEvents);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return () => {
    unsubscribe();
    void client.dispose();
  };
}
