/** Where the user is: `#/folder/<id>` or `#/folder/<id>/message/<id>`, so Back and reload keep the place. */
export interface Route {
  mailboxId: string | null;
  messageId: string | null;
}

export function parseRoute(hash: string): Route {
  const match = /^#\/folder\/([^/]+)(?:\/message\/([^/]+))?\/?$/.exec(hash);
  if (!match) return { mailboxId: null, messageId: null };
  return { mailboxId: decodeURIComponent(match[1]), messageId: match[2] ? decodeURIComponent(match[2]) : null };
}

export function routeHash(route: Route): string {
  if (!route.mailboxId) return '#/';
  const folder = `#/folder/${encodeURIComponent(route.mailboxId)}`;
  return route.messageId ? `${folder}/message/${encodeURIComponent(route.messageId)}` : folder;
}
