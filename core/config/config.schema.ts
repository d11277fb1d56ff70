/**
 * The operator interface: every configuration key Mailhive reads, with its environment variable,
 * default and validation. `mailhive config print`, the README table and start-up validation all
 * read this one list.
 */
import { isAbsolute, resolve } from 'node:path';
import { NetworkList } from '../util/network-list.js';
import { isS3Url, parseS3Url } from '../blob/s3-location.js';

export type PortSetting = number | 'off';

export interface MailhiveConfig {
  dataDir: string;
  blobDir: string | null;
  blobFallbackDir: string | null;
  s3Endpoint: string | null;
  s3Region: string;
  s3AccessKey: string | null;
  s3SecretKey: string | null;
  s3ForcePathStyle: boolean;
  s3CacheSize: number;
  databaseUrl: string | null;
  hostname: string;
  bind: string;
  smtpPort: PortSetting;
  submissionPort: PortSetting;
  smtpsPort: PortSetting;
  pop3Port: PortSetting;
  pop3sPort: PortSetting;
  imapPort: PortSetting;
  imapsPort: PortSetting;
  httpPort: PortSetting;
  httpRequestTimeoutSeconds: number;
  tlsCert: string | null;
  tlsKey: string | null;
  busUrl: string | null;
  relayHost: string | null;
  modules: string[];
  plugins: string[];
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  logFormat: 'auto' | 'pretty' | 'json';
  maxMessageSize: number;
  analysisOffloadSize: number;
  defaultQuota: number;
  authMaxFailures: number;
  authLockoutSeconds: number;
  authCacheSeconds: number;
  sessionTtlSeconds: number;
  graphqlIntrospection: boolean | 'auto';
  graphqlWsMaxPayload: number;
  graphqlWsInitTimeoutMs: number;
  graphqlWsSessionCheckSeconds: number;
  metricsToken: string | null;
  adminAllow: string[];
  adminIdleTimeoutSeconds: number;
  smtpMaxConnectionsPerAddress: number;
  imapMaxConnectionsPerAddress: number;
  pop3MaxConnectionsPerAddress: number;
  httpMaxConnectionsPerAddress: number;
  trustedNetworks: string[];
  maxConnections: number | 'auto';
  smtpMaxRecipients: number;
  smtpMaxLineLength: number;
  smtpMaxBadCommands: number;
  smtpIdleTimeoutSeconds: number;
  smtpGreetingPauseMs: number;
  smtpBareLineEndings: 'normalize' | 'reject';
  smtpDmarcReject: boolean;
  smtpArcTrustedSealers: string[];
  smtpLocalSpoofReject: boolean;
  recipientDelimiter: string;
  smtpSendRateLimit: number;
  outboundPort: number;
  outboundAllowPrivateMx: boolean;
  outboundLifetimeSeconds: number;
  outboundRetrySeconds: number;
  outboundPollSeconds: number;
  outboundLeaseSeconds: number;
  outboundDelayWarningSeconds: number;
  dnsFixtures: string | null;
  pop3PlaintextAuth: 'never' | 'loopback' | 'always';
  pop3LoginTimeoutSeconds: number;
  imapPlaintextAuth: 'never' | 'loopback' | 'always';
  imapLoginTimeoutSeconds: number;
  pop3HideOlderThanDays: number;
  pop3RetrMarksSeen: boolean;
  pop3Expire: 'never' | number;
  pop3LoginDelaySeconds: number;
  pop3LockSeconds: number;
  webmailUploadMaxCount: number;
  webmailUploadMaxTotal: number;
  webmailUploadLifetimeSeconds: number;
}

export interface ConfigKey<K extends keyof MailhiveConfig = keyof MailhiveConfig> {
  key: K;
  env: string;
  description: string;
  default: string;
  secret?: boolean;
  parse(raw: string): MailhiveConfig[K];
}

export class ConfigValueError extends Error {}

function port(raw: string): PortSetting {
  if (raw.trim().toLowerCase() === 'off') return 'off';
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigValueError(`"${raw}" is not a port number (0-65535) or "off"`);
  }
  return value;
}

function optional(raw: string): string | null {
  return raw.trim() === '' ? null : raw.trim();
}

function list(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function networkList(raw: string): string[] {
  const entries = list(raw);
  try {
    return new NetworkList(entries).entries.slice();
  } catch (error) {
    throw new ConfigValueError((error as Error).message);
  }
}

/** Parses sizes such as `2G`, `512M`, `100k` or a plain byte count. */
export function parseSize(raw: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(raw);
  if (!match) throw new ConfigValueError(`"${raw}" is not a size (examples: 25M, 2G, 1048576)`);
  const power = ['', 'k', 'm', 'g', 't'].indexOf(match[2].toLowerCase());
  return Math.round(Number(match[1]) * 1024 ** power);
}

function positiveInt(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigValueError(`"${raw}" is not a positive whole number`);
  return value;
}

function nonNegativeInt(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < 0) throw new ConfigValueError(`"${raw}" is not a whole number >= 0`);
  return value;
}

function autoOrPositiveInt(raw: string): number | 'auto' {
  return raw.trim().toLowerCase() === 'auto' ? 'auto' : positiveInt(raw);
}

function plaintextAuth(raw: string): MailhiveConfig['pop3PlaintextAuth'] {
  const value = raw.trim().toLowerCase();
  if (value === 'never' || value === 'loopback' || value === 'always') return value;
  throw new ConfigValueError(`"${raw}" is not one of never, loopback, always`);
}

function expirePolicy(raw: string): MailhiveConfig['pop3Expire'] {
  return raw.trim().toLowerCase() === 'never' ? 'never' : nonNegativeInt(raw);
}

function recipientDelimiter(raw: string): string {
  const value = raw.trim();
  if (/[@\s"<>(),;:\\[\]]/.test(value)) throw new ConfigValueError(`"${raw}" holds a character that cannot be an address delimiter`);
  return value;
}

function bool(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigValueError(`"${raw}" is not a boolean (true/false)`);
}

/** A boolean, or `auto` (empty too) for a default the code decides. */
function autoBool(raw: string): boolean | 'auto' {
  const value = raw.trim().toLowerCase();
  return value === '' || value === 'auto' ? 'auto' : bool(value);
}

function databaseUrl(raw: string): string | null {
  const value = optional(raw);
  if (value === null) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigValueError(`"${maskUrl(value)}" is not a URL (example: mysql://root@127.0.0.1:3306/mailhive)`);
  }
  if (!['mysql:', 'mariadb:', 'sqlite:'].includes(url.protocol)) {
    throw new ConfigValueError(`scheme "${url.protocol}" is not supported (use mysql://, mariadb:// or sqlite://)`);
  }
  if ((url.protocol === 'mysql:' || url.protocol === 'mariadb:') && url.pathname.replace('/', '') === '') {
    throw new ConfigValueError('names no database (example: mysql://root@127.0.0.1:3306/mailhive)');
  }
  return value;
}

function busUrl(raw: string): string | null {
  const value = optional(raw);
  if (value !== null && !/^(nats|redis):\/\//.test(value)) {
    throw new ConfigValueError(`"${value}" is not a nats:// or redis:// URL`);
  }
  return value;
}

function hostPort(raw: string): string | null {
  const value = optional(raw);
  if (value !== null && !/^[^\s:]+(:\d{1,5})?$/.test(value) && !/^smtps?:\/\//.test(value)) {
    throw new ConfigValueError(`"${value}" is not host[:port] or an smtp(s):// URL`);
  }
  return value;
}

function logLevel(raw: string): MailhiveConfig['logLevel'] {
  const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
  const value = raw.trim().toLowerCase();
  const found = levels.find((level) => level === value);
  if (!found) throw new ConfigValueError(`"${raw}" is not one of ${levels.join(', ')}`);
  return found;
}

function logFormat(raw: string): MailhiveConfig['logFormat'] {
  const formats = ['auto', 'pretty', 'json'] as const;
  const found = formats.find((format) => format === raw.trim().toLowerCase());
  if (!found) throw new ConfigValueError(`"${raw}" is not one of ${formats.join(', ')}`);
  return found;
}

function bareLineEndings(raw: string): MailhiveConfig['smtpBareLineEndings'] {
  const value = raw.trim().toLowerCase();
  if (value !== 'normalize' && value !== 'reject') throw new ConfigValueError(`"${raw}" is not normalize or reject`);
  return value;
}

function nonEmpty(raw: string): string {
  if (raw.trim() === '') throw new ConfigValueError('must not be empty');
  return raw.trim();
}

function path(raw: string): string {
  const value = nonEmpty(raw);
  return isAbsolute(value) ? value : resolve(value);
}

/** A directory, or an s3://bucket/prefix URL kept as written. */
function blobLocation(raw: string): string | null {
  const value = optional(raw);
  if (value === null || !isS3Url(value)) return optionalPath(raw);
  try {
    parseS3Url(value);
  } catch (error) {
    throw new ConfigValueError((error as Error).message);
  }
  return value;
}

function optionalHttpUrl(raw: string): string | null {
  const value = optional(raw);
  if (value !== null && !/^https?:\/\/[^\s/]+/.test(value)) throw new ConfigValueError(`"${value}" is not an http:// or https:// URL`);
  return value;
}

function optionalPath(raw: string): string | null {
  const value = optional(raw);
  return value === null ? null : path(value);
}

export function maskUrl(value: string): string {
  return value.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:****@');
}

function define<K extends keyof MailhiveConfig>(entry: ConfigKey<K>): ConfigKey<K> {
  return entry;
}

export const CONFIG_KEYS: ConfigKey[] = [
  define({
    key: 'dataDir',
    env: 'MAILHIVE_DATA_DIR',
    default: './data',
    parse: path,
    description: 'Data directory: SQLite file, blobs, spool, generated TLS key',
  }),
  define({
    key: 'blobDir',
    env: 'MAILHIVE_BLOB_DIR',
    default: '',
    parse: blobLocation,
    description:
      'Blob store: a directory (empty = blobs/ in the data dir), or s3://bucket/prefix for an S3-compatible store that several nodes share',
  }),
  define({
    key: 'blobFallbackDir',
    env: 'MAILHIVE_BLOB_FALLBACK_DIR',
    default: '',
    parse: blobLocation,
    description:
      'While moving blobs to another store (mailhive blobs migrate): the old store, read when MAILHIVE_BLOB_DIR lacks a blob; empty = none',
  }),
  define({
    key: 's3Endpoint',
    env: 'MAILHIVE_S3_ENDPOINT',
    default: '',
    parse: optionalHttpUrl,
    description: 'S3 endpoint URL (e.g. http://127.0.0.1:9000 for MinIO); empty = AWS for the region',
  }),
  define({ key: 's3Region', env: 'MAILHIVE_S3_REGION', default: 'us-east-1', parse: nonEmpty, description: 'S3 region' }),
  define({
    key: 's3AccessKey',
    env: 'MAILHIVE_S3_ACCESS_KEY',
    default: '',
    parse: optional,
    secret: true,
    description: 'S3 access key id; empty = the AWS SDK default chain (environment, instance role)',
  }),
  define({
    key: 's3SecretKey',
    env: 'MAILHIVE_S3_SECRET_KEY',
    default: '',
    parse: optional,
    secret: true,
    description: 'S3 secret access key',
  }),
  define({
    key: 's3ForcePathStyle',
    env: 'MAILHIVE_S3_FORCE_PATH_STYLE',
    default: 'false',
    parse: bool,
    description: 'Address the bucket as ENDPOINT/bucket instead of bucket.ENDPOINT (MinIO, Ceph and most self-hosted stores need it)',
  }),
  define({
    key: 's3CacheSize',
    env: 'MAILHIVE_S3_CACHE_SIZE',
    default: '64M',
    parse: parseSize,
    description: 'Memory each node keeps for recently read S3 blobs (a blob over an eighth of it is not kept)',
  }),
  define({
    key: 'databaseUrl',
    env: 'MAILHIVE_DATABASE_URL',
    default: '',
    parse: databaseUrl,
    secret: true,
    description: 'Database URL, e.g. mysql://root@127.0.0.1:3306/mailhive; empty = SQLite in the data dir',
  }),
  define({
    key: 'hostname',
    env: 'MAILHIVE_HOSTNAME',
    default: 'localhost',
    parse: nonEmpty,
    description: 'Host name announced in greetings and used in Received headers',
  }),
  define({ key: 'bind', env: 'MAILHIVE_BIND', default: '0.0.0.0', parse: nonEmpty, description: 'Address every listener binds to' }),
  define({ key: 'smtpPort', env: 'MAILHIVE_SMTP_PORT', default: '25', parse: port, description: 'SMTP (MX) port; "off" disables it' }),
  define({
    key: 'submissionPort',
    env: 'MAILHIVE_SUBMISSION_PORT',
    default: '587',
    parse: port,
    description: 'Submission port with STARTTLS',
  }),
  define({ key: 'smtpsPort', env: 'MAILHIVE_SMTPS_PORT', default: '465', parse: port, description: 'Submission port with implicit TLS' }),
  define({ key: 'pop3Port', env: 'MAILHIVE_POP3_PORT', default: '110', parse: port, description: 'POP3 port with STLS' }),
  define({ key: 'pop3sPort', env: 'MAILHIVE_POP3S_PORT', default: '995', parse: port, description: 'POP3 port with implicit TLS' }),
  define({ key: 'imapPort', env: 'MAILHIVE_IMAP_PORT', default: '143', parse: port, description: 'IMAP port with STARTTLS' }),
  define({ key: 'imapsPort', env: 'MAILHIVE_IMAPS_PORT', default: '993', parse: port, description: 'IMAP port with implicit TLS' }),
  define({
    key: 'httpPort',
    env: 'MAILHIVE_HTTP_PORT',
    default: '9900',
    parse: port,
    description: 'HTTP port: webmail, /graphql, /healthz, /metrics',
  }),
  define({
    key: 'httpRequestTimeoutSeconds',
    env: 'MAILHIVE_HTTP_REQUEST_TIMEOUT_SECONDS',
    default: '30',
    parse: positiveInt,
    description:
      'Time an HTTP client has to send a whole request, headers and body; a slower one gets 408 and is closed (websockets, once upgraded, are not bound by it)',
  }),
  define({
    key: 'tlsCert',
    env: 'MAILHIVE_TLS_CERT',
    default: '',
    parse: optionalPath,
    description: 'PEM certificate file; empty = self-signed certificate generated in the data dir',
  }),
  define({
    key: 'tlsKey',
    env: 'MAILHIVE_TLS_KEY',
    default: '',
    parse: optionalPath,
    description: 'PEM private key file for MAILHIVE_TLS_CERT',
  }),
  define({
    key: 'busUrl',
    env: 'MAILHIVE_BUS_URL',
    default: '',
    parse: busUrl,
    description: 'Message bus for several nodes, e.g. nats://127.0.0.1:4222; empty = in-process',
  }),
  define({
    key: 'relayHost',
    env: 'MAILHIVE_RELAY_HOST',
    default: '',
    parse: hostPort,
    secret: true,
    description:
      'Smart host for outbound mail (host[:port], smtp://user:pass@host:port with STARTTLS required unless on loopback, smtps:// for implicit TLS); empty = direct MX delivery',
  }),
  define({
    key: 'modules',
    env: 'MAILHIVE_MODULES',
    default: '',
    parse: list,
    description: 'Comma-separated feature modules to load (webmail, webadmin, org, backup, mobile-api); empty = all available',
  }),
  define({
    key: 'plugins',
    env: 'MAILHIVE_PLUGINS',
    default: '',
    parse: list,
    description: 'Comma-separated plugins, in order: a name under plugins/ or an npm package',
  }),
  define({
    key: 'logLevel',
    env: 'MAILHIVE_LOG_LEVEL',
    default: 'info',
    parse: logLevel,
    description: 'Log level: trace, debug, info, warn, error, fatal, silent',
  }),
  define({
    key: 'logFormat',
    env: 'MAILHIVE_LOG_FORMAT',
    default: 'auto',
    parse: logFormat,
    description:
      'Log format: json (one JSON object a line), pretty (time, level, message and fields, for people), or auto = pretty when standard output is a terminal, else json',
  }),
  define({
    key: 'maxMessageSize',
    env: 'MAILHIVE_MAX_MESSAGE_SIZE',
    default: '50M',
    parse: parseSize,
    description: 'Largest message accepted by SMTP and IMAP APPEND',
  }),
  define({
    key: 'analysisOffloadSize',
    env: 'MAILHIVE_ANALYSIS_OFFLOAD_SIZE',
    default: '256k',
    parse: parseSize,
    description:
      'Messages of at least this size are analysed (MIME structure, search text) in a worker thread at delivery, so that large ones do not stall other clients; smaller ones on the event loop, where that is cheaper. 0 = never in a thread',
  }),
  define({
    key: 'defaultQuota',
    env: 'MAILHIVE_DEFAULT_QUOTA',
    default: '0',
    parse: parseSize,
    description: 'Quota for new users without --quota; 0 = unlimited',
  }),
  define({
    key: 'authMaxFailures',
    env: 'MAILHIVE_AUTH_MAX_FAILURES',
    default: '5',
    parse: positiveInt,
    description:
      'Failed logins of one user name from one client address (IPv6: its /64) before that pair is locked out; a client address is refused after 4 times as many failures in a lockout window, whatever names it tries',
  }),
  define({
    key: 'authCacheSeconds',
    env: 'MAILHIVE_AUTH_CACHE_SECONDS',
    default: '600',
    parse: nonNegativeInt,
    description:
      'How long a verified password is remembered, so repeated logins skip the slow hash; a password change ends it at once. 0 = off',
  }),
  define({
    key: 'authLockoutSeconds',
    env: 'MAILHIVE_AUTH_LOCKOUT_SECONDS',
    default: '300',
    parse: positiveInt,
    description:
      "How long the first lockout of a (user name, client address) pair lasts; each further one doubles it, up to a day. Also the window in which a client address's failures are counted",
  }),
  define({
    key: 'sessionTtlSeconds',
    env: 'MAILHIVE_SESSION_TTL_SECONDS',
    default: '604800',
    parse: positiveInt,
    description: 'Lifetime of a GraphQL login token',
  }),
  define({
    key: 'graphqlIntrospection',
    env: 'MAILHIVE_GRAPHQL_INTROSPECTION',
    default: 'auto',
    parse: autoBool,
    description: 'Allow GraphQL introspection queries: true, false, or auto = allowed unless NODE_ENV=production',
  }),
  define({
    key: 'graphqlWsMaxPayload',
    env: 'MAILHIVE_GRAPHQL_WS_MAX_PAYLOAD',
    default: '64k',
    parse: parseSize,
    description: 'Largest GraphQL websocket message; a bigger one closes the socket (1009) before it is buffered',
  }),
  define({
    key: 'graphqlWsInitTimeoutMs',
    env: 'MAILHIVE_GRAPHQL_WS_INIT_TIMEOUT_MS',
    default: '5000',
    parse: positiveInt,
    description: 'A GraphQL websocket that has not sent connection_init with a valid token within this many milliseconds is closed (4408)',
  }),
  define({
    key: 'graphqlWsSessionCheckSeconds',
    env: 'MAILHIVE_GRAPHQL_WS_SESSION_CHECK_SECONDS',
    default: '30',
    parse: positiveInt,
    description:
      'How often each node re-checks the session token of its open GraphQL websockets; a socket whose session was revoked elsewhere is closed (4401) within this time',
  }),
  define({
    key: 'metricsToken',
    env: 'MAILHIVE_METRICS_TOKEN',
    default: '',
    parse: optional,
    secret: true,
    description:
      'Bearer token that opens /metrics to clients other than loopback ones (Authorization: Bearer ...); empty = loopback only. Behind a reverse proxy on the same host, every client looks like loopback: block /metrics there',
  }),
  define({
    key: 'adminAllow',
    env: 'MAILHIVE_ADMIN_ALLOW',
    default: '',
    parse: networkList,
    description:
      'Comma-separated IP addresses and CIDR ranges that may reach WebAdmin (/admin) and the admin GraphQL API; empty = everyone. Others get 403 from /admin and FORBIDDEN from the API',
  }),
  define({
    key: 'adminIdleTimeoutSeconds',
    env: 'MAILHIVE_ADMIN_IDLE_TIMEOUT_SECONDS',
    default: '1800',
    parse: positiveInt,
    description: 'A WebAdmin session unused for this many seconds ends; the next request must sign in again',
  }),
  define({
    key: 'smtpMaxConnectionsPerAddress',
    env: 'MAILHIVE_SMTP_MAX_CONNECTIONS_PER_ADDRESS',
    default: '50',
    parse: positiveInt,
    description: 'Open SMTP connections allowed from one client address, an IPv6 client counted by its /64 (all SMTP ports together)',
  }),
  define({
    key: 'imapMaxConnectionsPerAddress',
    env: 'MAILHIVE_IMAP_MAX_CONNECTIONS_PER_ADDRESS',
    default: '100',
    parse: positiveInt,
    description:
      'Open IMAP connections allowed from one client address, an IPv6 client counted by its /64 (both IMAP ports together); more get * BYE',
  }),
  define({
    key: 'pop3MaxConnectionsPerAddress',
    env: 'MAILHIVE_POP3_MAX_CONNECTIONS_PER_ADDRESS',
    default: '20',
    parse: positiveInt,
    description:
      'Open POP3 connections allowed from one client address, an IPv6 client counted by its /64 (both POP3 ports together); more get -ERR [SYS/TEMP]',
  }),
  define({
    key: 'httpMaxConnectionsPerAddress',
    env: 'MAILHIVE_HTTP_MAX_CONNECTIONS_PER_ADDRESS',
    default: '200',
    parse: positiveInt,
    description:
      'Open HTTP connections, websockets included, allowed from one client address, an IPv6 client counted by its /64; more get 503',
  }),
  define({
    key: 'trustedNetworks',
    env: 'MAILHIVE_TRUSTED_NETWORKS',
    default: '127.0.0.0/8, ::1/128',
    parse: networkList,
    description:
      'Client networks (CIDR blocks or addresses, comma-separated) exempt from the per-address connection caps, such as the host itself and a load balancer; they still count toward MAILHIVE_MAX_CONNECTIONS. Being listed grants nothing else (no relaying, no plaintext login)',
  }),
  define({
    key: 'maxConnections',
    env: 'MAILHIVE_MAX_CONNECTIONS',
    default: 'auto',
    parse: autoOrPositiveInt,
    description:
      "Open client connections allowed over all listeners together; more are refused with a temporary error. auto = the process's open-file limit less a quarter of it (at least 64) kept for the store, blobs and outbound delivery",
  }),
  define({
    key: 'smtpMaxRecipients',
    env: 'MAILHIVE_SMTP_MAX_RECIPIENTS',
    default: '100',
    parse: positiveInt,
    description: 'Recipients per SMTP message; more get 452 4.5.3',
  }),
  define({
    key: 'smtpMaxLineLength',
    env: 'MAILHIVE_SMTP_MAX_LINE_LENGTH',
    default: '2048',
    parse: positiveInt,
    description: 'Longest SMTP command line in bytes; a longer one gets 500 5.5.2, and the tenth such line closes the connection',
  }),
  define({
    key: 'smtpMaxBadCommands',
    env: 'MAILHIVE_SMTP_MAX_BAD_COMMANDS',
    default: '10',
    parse: positiveInt,
    description: 'Refused SMTP commands (unknown recipients, bad senders, failed AUTH) before the connection is closed',
  }),
  define({
    key: 'smtpIdleTimeoutSeconds',
    env: 'MAILHIVE_SMTP_IDLE_TIMEOUT_SECONDS',
    default: '300',
    parse: positiveInt,
    description: 'Idle SMTP connections are closed after this many seconds',
  }),
  define({
    key: 'smtpGreetingPauseMs',
    env: 'MAILHIVE_SMTP_GREETING_PAUSE_MS',
    default: '0',
    parse: nonNegativeInt,
    description:
      'Pause before the SMTP greeting; a client talking earlier is refused (421), which stops many spam bots but delays every connection. 0 = greet at once',
  }),
  define({
    key: 'smtpBareLineEndings',
    env: 'MAILHIVE_SMTP_BARE_LINE_ENDINGS',
    default: 'normalize',
    parse: bareLineEndings,
    description: 'A bare CR or LF inside DATA: normalize (store it as CRLF) or reject the message',
  }),
  define({
    key: 'smtpDmarcReject',
    env: 'MAILHIVE_SMTP_DMARC_REJECT',
    default: 'true',
    parse: bool,
    description: 'Refuse inbound mail that fails DMARC when the sender domain publishes p=reject',
  }),
  define({
    key: 'smtpArcTrustedSealers',
    env: 'MAILHIVE_SMTP_ARC_TRUSTED_SEALERS',
    default: '',
    parse: (raw) => list(raw.toLowerCase()),
    description:
      'Comma-separated domains (mailing lists, forwarders) whose valid ARC seal overrides a DMARC reject, as forwarding breaks SPF and often DKIM',
  }),
  define({
    key: 'smtpLocalSpoofReject',
    env: 'MAILHIVE_SMTP_LOCAL_SPOOF_REJECT',
    default: 'true',
    parse: bool,
    description:
      'Refuse mail from outside (port 25) whose From names a domain we host unless SPF or DKIM authenticates that domain, whatever its DMARC record says',
  }),
  define({
    key: 'recipientDelimiter',
    env: 'MAILHIVE_RECIPIENT_DELIMITER',
    default: '+',
    parse: recipientDelimiter,
    description:
      'Sub-addressing: mail to user+tag@domain goes to user@domain when no such address exists. Each character given is a delimiter; empty = off',
  }),
  define({
    key: 'smtpSendRateLimit',
    env: 'MAILHIVE_SMTP_SEND_RATE_LIMIT',
    default: '500',
    parse: positiveInt,
    description: 'Messages one user may submit per hour',
  }),
  define({
    key: 'outboundPort',
    env: 'MAILHIVE_OUTBOUND_PORT',
    default: '25',
    parse: positiveInt,
    description: 'Port of remote MX hosts for outbound delivery (tests only; MX is port 25)',
  }),
  define({
    key: 'outboundAllowPrivateMx',
    env: 'MAILHIVE_OUTBOUND_ALLOW_PRIVATE_MX',
    default: 'false',
    parse: bool,
    description:
      'Deliver to MX hosts with loopback, private, link-local, shared (100.64/10) or multicast addresses. Off: such an MX is skipped as a permanent failure (the relay host is always trusted)',
  }),
  define({
    key: 'outboundLifetimeSeconds',
    env: 'MAILHIVE_OUTBOUND_LIFETIME_SECONDS',
    default: '432000',
    parse: positiveInt,
    description: 'How long an outbound message is retried before it bounces (default 5 days)',
  }),
  define({
    key: 'outboundRetrySeconds',
    env: 'MAILHIVE_OUTBOUND_RETRY_SECONDS',
    default: '300',
    parse: positiveInt,
    description: 'First outbound retry delay; doubles per attempt, at most 4 hours',
  }),
  define({
    key: 'outboundPollSeconds',
    env: 'MAILHIVE_OUTBOUND_POLL_SECONDS',
    default: '15',
    parse: positiveInt,
    description: 'How often the outbound worker looks for due messages',
  }),
  define({
    key: 'outboundLeaseSeconds',
    env: 'MAILHIVE_OUTBOUND_LEASE_SECONDS',
    default: '300',
    parse: positiveInt,
    description:
      'How long a node holds an outbound message it is delivering; it renews the lease while it works, and a node that died loses it, so another node delivers the message',
  }),
  define({
    key: 'outboundDelayWarningSeconds',
    env: 'MAILHIVE_OUTBOUND_DELAY_WARNING_SECONDS',
    default: '14400',
    parse: positiveInt,
    description:
      'How long an outbound message is retried before a sender that asked with NOTIFY=DELAY gets a delayed DSN (default 4 hours)',
  }),
  define({
    key: 'dnsFixtures',
    env: 'MAILHIVE_DNS_FIXTURES',
    default: '',
    parse: optionalPath,
    description: 'JSON file of DNS records served instead of real DNS (tests only)',
  }),
  define({
    key: 'imapPlaintextAuth',
    env: 'MAILHIVE_IMAP_PLAINTEXT_AUTH',
    default: 'loopback',
    parse: plaintextAuth,
    description:
      'IMAP LOGIN and AUTHENTICATE without TLS: never, loopback (only from 127.0.0.0/8 and ::1), always; otherwise LOGINDISABLED until STARTTLS',
  }),
  define({
    key: 'imapLoginTimeoutSeconds',
    env: 'MAILHIVE_IMAP_LOGIN_TIMEOUT_SECONDS',
    default: '60',
    parse: positiveInt,
    description: 'IMAP connections not logged in this many seconds after connecting get * BYE and are closed, however much they send',
  }),
  define({
    key: 'pop3PlaintextAuth',
    env: 'MAILHIVE_POP3_PLAINTEXT_AUTH',
    default: 'loopback',
    parse: plaintextAuth,
    description: 'POP3 USER/PASS and AUTH without TLS: never, loopback (only from 127.0.0.0/8 and ::1), always',
  }),
  define({
    key: 'pop3LoginTimeoutSeconds',
    env: 'MAILHIVE_POP3_LOGIN_TIMEOUT_SECONDS',
    default: '60',
    parse: positiveInt,
    description: 'Time a POP3 client has from connecting to logging in, however much it talks meanwhile; then it is closed',
  }),
  define({
    key: 'pop3HideOlderThanDays',
    env: 'MAILHIVE_POP3_HIDE_OLDER_THAN_DAYS',
    default: '0',
    parse: nonNegativeInt,
    description: 'POP3 does not show INBOX messages received more than this many days ago; 0 = show all',
  }),
  define({
    key: 'pop3RetrMarksSeen',
    env: 'MAILHIVE_POP3_RETR_MARKS_SEEN',
    default: 'false',
    parse: bool,
    description: 'Messages retrieved with POP3 RETR get the \\Seen flag when the session ends with QUIT',
  }),
  define({
    key: 'pop3Expire',
    env: 'MAILHIVE_POP3_EXPIRE',
    default: 'never',
    parse: expirePolicy,
    description:
      'RFC 2449 EXPIRE announced to POP3 clients: never, 0 (retrieved messages are deleted at QUIT) or days kept by the retention policy',
  }),
  define({
    key: 'pop3LoginDelaySeconds',
    env: 'MAILHIVE_POP3_LOGIN_DELAY_SECONDS',
    default: '0',
    parse: nonNegativeInt,
    description: 'RFC 2449 LOGIN-DELAY: least seconds between two POP3 logins of one user (enforced across nodes); 0 = none',
  }),
  define({
    key: 'pop3LockSeconds',
    env: 'MAILHIVE_POP3_LOCK_SECONDS',
    default: '60',
    parse: positiveInt,
    description:
      'Lifetime of the POP3 maildrop lock in the database; a live session renews it every third of this, a crashed node frees it after this',
  }),
  define({
    key: 'webmailUploadMaxCount',
    env: 'MAILHIVE_WEBMAIL_UPLOAD_MAX_COUNT',
    default: '50',
    parse: positiveInt,
    description: 'Webmail attachment uploads one user may hold at once (not yet sent, not yet expired)',
  }),
  define({
    key: 'webmailUploadMaxTotal',
    env: 'MAILHIVE_WEBMAIL_UPLOAD_MAX_TOTAL',
    default: '200M',
    parse: parseSize,
    description: "Bytes of webmail attachment uploads one user may hold at once; uploads also count against the user's quota",
  }),
  define({
    key: 'webmailUploadLifetimeSeconds',
    env: 'MAILHIVE_WEBMAIL_UPLOAD_LIFETIME_SECONDS',
    default: '86400',
    parse: positiveInt,
    description: 'Webmail attachment uploads not used by a sent message within this time are deleted (and their quota freed)',
  }),
];
