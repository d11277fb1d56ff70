/**
 * Whether a websocket message is a graphql-ws `connection_init`, the only message a socket may send before it is
 * authenticated (the message is already bounded by maxPayload, so parsing it is cheap).
 */
export function isConnectionInit(data: string): boolean {
  try {
    const message: unknown = JSON.parse(data);
    return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'connection_init';
  } catch {
    return false;
  }
}
