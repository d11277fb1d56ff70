/**
 * Where the user is: `#/folder/<id>`, `#/folder/<id>/message/<id>` or `#/settings/<section>`, so Back and reload
 * keep the place.
 */
export interface Route {
  mailboxId: string | null;
  messageId: string | null;
  /** The settings section shown instead of the mail, if any. */
  settings?: string | null;
}

export function parseRoute(hash: string): Route {
  const settings = /^#\/settings(?:\/([\w-]+))?\/?$/.exec(hash);
  if (settings) return { mailboxId: null, messageId: null, settings: settings[1] ?? '' };
  const match = /^#\/folder\/([^/]+)(?:\/message\/([^/]+))?\/?$/.exec(hash);
  if (!match) return { mailboxId: null, messageId: null };
  return { mailboxId: decodeURIComponent(match[1]), messageId: match[2] ? decodeURIComponent(match[2]) : null };
}

export function routeHash(route: Route): string {
  if (route.settings != null) return route.settings ? `#/settings/${route.settings}` : '#/settings';
  if (!route.mailboxId) return '#/';
  const folder = `#/folder/${encodeURIComponent(route.mailboxId)}`;
  return route.messageId ? `${folder}/message/${encodeURIComponent(route.messageId)}` : folder;
}
