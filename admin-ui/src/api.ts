/** The admin GraphQL API over POST /graphql with the WebAdmin session's bearer token. */

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const CSRF_COOKIE = 'mailhive_admin_csrf';

/**
 * The session is the HttpOnly cookie mailhive_admin_session, which no script here can read; what the page holds is
 * the csrf value of the readable cookie, sent as X-Admin-CSRF-Token to prove the request comes from this page.
 */
export function csrfToken(): string | null {
  const pair = document.cookie
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${CSRF_COOKIE}=`));
  return pair ? pair.slice(CSRF_COOKIE.length + 1) : null;
}

/** Called when the server says the session is gone (idle timeout, signed out elsewhere): the app shows the sign-in. */
let onSessionEnded: () => void = () => undefined;
export function whenSessionEnds(handler: () => void): void {
  onSessionEnded = handler;
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-admin-csrf-token': csrfToken() ?? '' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  const error = body.errors?.[0];
  if (error) {
    if (error.extensions?.code === 'UNAUTHENTICATED') onSessionEnded();
    throw new ApiError(error.extensions?.code ?? 'ERROR', error.message);
  }
  return body.data as T;
}

export interface AdminIdentity {
  address: string;
  role: 'system_admin' | 'domain_admin';
  domains: string[];
}

export interface AdminUser {
  address: string;
  domain: string;
  displayName: string;
  role: string;
  adminDomains: string[];
  quotaBytes: number;
  usedBytes: number;
  disabled: boolean;
  protocols: string[];
  expiresAt: string | null;
  twoFactorEnabled: boolean;
}

export interface AdminDomain {
  name: string;
  users: number;
  catchAll: string | null;
  requireTwoFactor: boolean;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  actorRole: string;
  action: string;
  target: string;
  detail: string;
  clientAddress: string;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
}

export type UserSort = 'ADDRESS' | 'NAME' | 'CREATED' | 'USED';

const USER_FIELDS = 'address domain displayName role adminDomains quotaBytes usedBytes disabled protocols expiresAt twoFactorEnabled';

/** With two-factor sign-in on, the first call fails with SECOND_FACTOR_REQUIRED and the second brings the code. */
export async function adminLogin(email: string, password: string, code: string | null = null): Promise<AdminIdentity> {
  const data = await gql<{ adminWebLogin: { admin: AdminIdentity } }>(
    'mutation($e: String!, $p: String!, $c: String) { adminWebLogin(email: $e, password: $p, code: $c) { csrfToken admin { address role domains } } }',
    { e: email, p: password, c: code },
  );
  return data.adminWebLogin.admin;
}

export async function adminMe(): Promise<AdminIdentity> {
  return (await gql<{ adminMe: AdminIdentity }>('{ adminMe { address role domains } }')).adminMe;
}

export async function logout(): Promise<void> {
  await gql('mutation { adminLogout }');
}

export async function signOutEverywhere(): Promise<void> {
  await gql('mutation { adminSignOutEverywhere }');
}

export async function listUsers(args: {
  search: string;
  sort: UserSort;
  descending: boolean;
  offset: number;
  limit: number;
}): Promise<{ total: number; users: AdminUser[] }> {
  const data = await gql<{ adminUsers: { total: number; users: AdminUser[] } }>(
    `query($s: String!, $o: AdminUserSort!, $d: Boolean!, $f: Int!, $l: Int!) { adminUsers(search: $s, sort: $o, descending: $d, offset: $f, limit: $l) { total users { ${USER_FIELDS} } } }`,
    { s: args.search, o: args.sort, d: args.descending, f: args.offset, l: args.limit },
  );
  return data.adminUsers;
}

export async function createUser(input: {
  address: string;
  password: string;
  displayName?: string;
  quotaBytes?: number;
  role?: string;
}): Promise<void> {
  await gql('mutation($i: AdminUserCreateInput!) { adminCreateUser(input: $i) { address } }', { i: input });
}

export interface UserUpdate {
  displayName?: string;
  quotaBytes?: number;
  role?: string;
  adminDomains?: string[];
  disabled?: boolean;
  protocols?: string[];
  expiresAt?: string;
  neverExpires?: boolean;
}

export async function resetTwoFactor(address: string): Promise<void> {
  await gql('mutation($a: String!) { adminResetTwoFactor(address: $a) }', { a: address });
}

export async function unlockUser(address: string): Promise<void> {
  await gql('mutation($a: String!) { adminUnlockUser(address: $a) }', { a: address });
}

export async function updateUser(address: string, input: UserUpdate): Promise<void> {
  await gql('mutation($a: String!, $i: AdminUserUpdateInput!) { adminUpdateUser(address: $a, input: $i) { address } }', {
    a: address,
    i: input,
  });
}

export async function resetPassword(address: string, password: string): Promise<void> {
  await gql('mutation($a: String!, $p: String!) { adminResetPassword(address: $a, password: $p) }', { a: address, p: password });
}

export async function deleteUser(address: string): Promise<void> {
  await gql('mutation($a: String!) { adminDeleteUser(address: $a) }', { a: address });
}

export async function listDomains(): Promise<AdminDomain[]> {
  return (await gql<{ adminDomains: AdminDomain[] }>('{ adminDomains { name users catchAll requireTwoFactor } }')).adminDomains;
}

export async function setDomainTwoFactorRequired(name: string, required: boolean): Promise<void> {
  await gql('mutation($n: String!, $r: Boolean!) { adminSetDomainTwoFactorRequired(name: $n, required: $r) { name } }', {
    n: name,
    r: required,
  });
}

export async function addDomain(name: string): Promise<void> {
  await gql('mutation($n: String!) { adminAddDomain(name: $n) { name } }', { n: name });
}

export async function removeDomain(name: string): Promise<void> {
  await gql('mutation($n: String!) { adminRemoveDomain(name: $n) }', { n: name });
}

function auditFilterInput(filter: AuditFilter): AuditFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value)) as AuditFilter;
}

export async function auditPage(
  filter: AuditFilter,
  before: string | null,
  limit: number,
): Promise<{ entries: AuditEntry[]; nextBefore: string | null }> {
  const data = await gql<{ auditLog: { entries: AuditEntry[]; nextBefore: string | null } }>(
    'query($f: AuditFilterInput, $b: ID, $l: Int!) { auditLog(filter: $f, before: $b, limit: $l) { entries { id at actor actorRole action target detail clientAddress } nextBefore } }',
    { f: auditFilterInput(filter), b: before, l: limit },
  );
  return data.auditLog;
}

export async function auditCsv(filter: AuditFilter): Promise<string> {
  return (await gql<{ auditLogCsv: string }>('query($f: AuditFilterInput) { auditLogCsv(filter: $f) }', { f: auditFilterInput(filter) }))
    .auditLogCsv;
}

export interface SetupStatus {
  needed: boolean;
  tokenRequired: boolean;
}

export interface DnsRecord {
  purpose: string;
  type: string;
  name: string;
  value: string;
  status: 'pass' | 'fail' | 'unchecked';
  found: string;
}

export async function setupStatus(): Promise<SetupStatus> {
  return (await gql<{ adminSetupStatus: SetupStatus }>('{ adminSetupStatus { needed tokenRequired } }')).adminSetupStatus;
}

export async function runSetup(input: {
  token?: string;
  hostname: string;
  domain: string;
  address: string;
  password: string;
}): Promise<AdminIdentity> {
  const data = await gql<{ adminSetup: { admin: AdminIdentity } }>(
    'mutation($i: AdminSetupInput!) { adminSetup(input: $i) { csrfToken admin { address role domains } } }',
    { i: input },
  );
  return data.adminSetup.admin;
}

export async function dnsRecords(domain: string, check: boolean): Promise<DnsRecord[]> {
  return (
    await gql<{ adminDnsRecords: DnsRecord[] }>(
      'query($d: String!, $c: Boolean!) { adminDnsRecords(domain: $d, check: $c) { purpose type name value status found } }',
      { d: domain, c: check },
    )
  ).adminDnsRecords;
}

export interface StatsPoint {
  at: string;
  received: number;
  sent: number;
  refused: number;
  bounced: number;
  logins: number;
  failedLogins: number;
}

export interface Dashboard {
  hourly: StatsPoint[];
  daily: StatsPoint[];
  queueSize: number;
  storage: { domain: string; users: number; usedBytes: number }[];
  topSenders: { address: string; messages: number }[];
  topReceivers: { address: string; messages: number }[];
}

const POINT_FIELDS = 'at received sent refused bounced logins failedLogins';

export async function dashboard(): Promise<Dashboard> {
  return (
    await gql<{ adminDashboard: Dashboard }>(`{ adminDashboard { hourly { ${POINT_FIELDS} } daily { ${POINT_FIELDS} } queueSize
    storage { domain users usedBytes } topSenders { address messages } topReceivers { address messages } } }`)
  ).adminDashboard;
}

export interface QueuedMessage {
  id: number;
  sender: string;
  recipients: string[];
  domain: string;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  expiresAt: string;
  lastError: string | null;
  createdAt: string;
}

export interface QueueFilter {
  sender?: string;
  recipient?: string;
  failing?: boolean;
}

const QUEUE_FIELDS = 'id sender recipients domain status attempts nextAttemptAt expiresAt lastError createdAt';

export async function listQueue(filter: QueueFilter): Promise<QueuedMessage[]> {
  return (
    await gql<{ adminQueue: QueuedMessage[] }>(`query($f: AdminQueueFilter) { adminQueue(filter: $f, limit: 200) { ${QUEUE_FIELDS} } }`, {
      f: filter,
    })
  ).adminQueue;
}

export async function queuedMessage(id: number): Promise<{ message: QueuedMessage; headers: string }> {
  return (
    await gql<{ adminQueuedMessage: { message: QueuedMessage; headers: string } }>(
      `query($id: Int!) { adminQueuedMessage(id: $id) { message { ${QUEUE_FIELDS} } headers } }`,
      { id },
    )
  ).adminQueuedMessage;
}

export async function queueAction(action: 'adminRetryQueued' | 'adminDeleteQueued' | 'adminBounceQueued', id: number): Promise<void> {
  await gql(`mutation($id: Int!) { ${action}(id: $id) }`, { id });
}

export interface TraceEvent {
  at: string;
  event: string;
  sender: string;
  recipient: string;
  messageId: string;
  subject: string;
  detail: string;
}

export interface TraceFilter {
  sender?: string;
  recipient?: string;
  messageId?: string;
  subject?: string;
}

export async function messageTrace(filter: TraceFilter): Promise<TraceEvent[]> {
  return (
    await gql<{ adminMessageTrace: TraceEvent[] }>(
      'query($f: AdminTraceFilter!) { adminMessageTrace(filter: $f, limit: 200) { at event sender recipient messageId subject detail } }',
      { f: filter },
    )
  ).adminMessageTrace;
}

export interface Settings {
  hostname: string;
  smtpSendRateLimit: number;
  smtpGreetingPauseMs: number;
  smtpBanner: string;
  overridden: string[];
  environment: { variable: string; value: string }[];
}

export type SettingsInput = Partial<Pick<Settings, 'hostname' | 'smtpSendRateLimit' | 'smtpGreetingPauseMs' | 'smtpBanner'>> & {
  reset?: string[];
};

const SETTINGS_FIELDS = 'hostname smtpSendRateLimit smtpGreetingPauseMs smtpBanner overridden environment { variable value }';

export async function readSettings(): Promise<Settings> {
  return (await gql<{ adminSettings: Settings }>(`{ adminSettings { ${SETTINGS_FIELDS} } }`)).adminSettings;
}

export async function updateSettings(input: SettingsInput): Promise<Settings> {
  return (
    await gql<{ adminUpdateSettings: Settings }>(
      `mutation($i: AdminSettingsInput!) { adminUpdateSettings(input: $i) { ${SETTINGS_FIELDS} } }`,
      { i: input },
    )
  ).adminUpdateSettings;
}

/** A plugin of MAILHIVE_PLUGINS as WebAdmin lists it: load order, state and the hooks it handles. */
export interface PluginSummary {
  name: string;
  state: string;
  hooks: { name: string }[];
}

export async function listPlugins(): Promise<PluginSummary[]> {
  return (await gql<{ adminPlugins: PluginSummary[] }>('{ adminPlugins { name state hooks { name } } }')).adminPlugins;
}

export interface ImportResult {
  rows: number;
  imported: number;
  errors: { line: number; address: string; message: string }[];
}

export async function importUsers(csv: string, options: { skipBadRows: boolean; dryRun: boolean }): Promise<ImportResult> {
  return (
    await gql<{ adminImportUsers: ImportResult }>(
      'mutation($c: String!, $s: Boolean!, $d: Boolean!) { adminImportUsers(csv: $c, skipBadRows: $s, dryRun: $d) { rows imported errors { line address message } } }',
      { c: csv, s: options.skipBadRows, d: options.dryRun },
    )
  ).adminImportUsers;
}
