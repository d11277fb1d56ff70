import type { MailhiveConfig } from '../core/config/config.schema.js';
import { maskUrl } from '../core/config/config.schema.js';
import type { BoundPorts, PortName } from '../core/transports/bound-ports.js';
import { isLoopback } from '../core/util/loopback.js';

/** What a started server tells its operator; the same facts go into the JSON `Mailhive ready` line. */
export interface StartupFacts {
  version: string;
  hostname: string;
  dataDir: string;
  database: string;
  ports: BoundPorts;
  urls: Record<string, string>;
  modules: string[];
  plugins: string[];
}

const PORT_LABELS: Record<PortName, string> = {
  smtp: 'SMTP',
  submission: 'submission (STARTTLS)',
  smtps: 'submission (TLS)',
  imap: 'IMAP',
  imaps: 'IMAPS',
  pop3: 'POP3',
  pop3s: 'POP3S',
  http: 'HTTP',
};

export function startupFacts(
  config: MailhiveConfig,
  ports: BoundPorts,
  modules: string[],
  plugins: string[],
  version: string,
): StartupFacts {
  const urls: Record<string, string> = {};
  if (ports.http !== undefined) {
    const base = `http://${config.hostname}:${ports.http}`;
    if (modules.includes('webmail')) urls.webmail = `${base}/`;
    if (modules.includes('webadmin')) urls.webadmin = `${base}/admin`;
    urls.graphql = `${base}/graphql`;
  }
  return {
    version,
    hostname: config.hostname,
    dataDir: config.dataDir,
    database: config.databaseUrl ? maskUrl(config.databaseUrl) : `SQLite in ${config.dataDir}`,
    ports,
    urls,
    modules,
    plugins,
  };
}

/** A few lines for a person at a terminal: what runs, where its data is, where to point a browser. */
export function startupSummary(facts: StartupFacts): string {
  const listening = (Object.keys(PORT_LABELS) as PortName[])
    .filter((name) => facts.ports[name] !== undefined)
    .map((name) => `${PORT_LABELS[name]} ${facts.ports[name]}`)
    .join(', ');
  const lines = [
    `Mailhive ${facts.version} ready as ${facts.hostname}`,
    `  data:      ${facts.dataDir}`,
    `  database:  ${facts.database}`,
    `  listening: ${listening || 'nothing'}`,
    ...Object.entries(facts.urls).map(([name, url]) => `  ${`${name}:`.padEnd(10)} ${url}`),
    `  modules:   ${facts.modules.join(', ') || 'none'}`,
    `  plugins:   ${facts.plugins.join(', ') || 'none'}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Settings that work on a test machine and fail in production; each is a warning at start, not a refusal. */
export function startupWarnings(config: MailhiveConfig): string[] {
  const warnings: string[] = [];
  const local = config.hostname === 'localhost' || !config.hostname.includes('.');
  if (local) {
    warnings.push(
      `MAILHIVE_HOSTNAME is "${config.hostname}": other mail servers cannot reach this one by that name, ` +
        'and it is what this server calls itself in SMTP and in its certificate. Set it to the public name your MX record points to.',
    );
  }
  if (!config.tlsCert && !isLoopback(config.bind)) {
    warnings.push(
      `no certificate configured (MAILHIVE_TLS_CERT, MAILHIVE_TLS_KEY): TLS on ${config.bind} uses a self-signed ` +
        `certificate for "${config.hostname}", which mail clients warn about and other servers may not trust.`,
    );
  }
  return warnings;
}
