import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { parseExpiryDate, parseProtocols } from '../../core/accounts/account-access.js';
import { AccountsService, type UserChanges } from '../../core/accounts/accounts.service.js';
import type { AccountRole } from '../../core/accounts/principal.js';
import { printConfig } from '../../core/config/config.loader.js';
import { parseSize, type MailhiveConfig } from '../../core/config/config.schema.js';
import { BACKUP_COMMANDS } from './backup.commands.js';
import { BLOB_COMMANDS } from './blob.commands.js';
import { EXPORT_COMMANDS } from './export.commands.js';
import { OUTBOUND_COMMANDS } from './outbound.commands.js';
import { PLUGIN_COMMANDS } from './plugin.commands.js';
import { UsageError } from './cli-error.js';
import { withCore } from './core-context.js';
import { humanSize, printListing, type Listing } from './output.js';
import { readPasswordLine } from './password-input.js';

export interface CliIo {
  out(line: string): void;
  /** Standard input, read by `--password-stdin`. */
  stdin: Readable;
  /** Asks for a new password when the CLI runs in a terminal and none was given; absent otherwise. */
  askPassword?: () => Promise<string>;
}

type Handler = (args: string[], config: MailhiveConfig, logger: Logger, io: CliIo) => Promise<void>;

function accounts(config: MailhiveConfig, logger: Logger, work: (service: AccountsService) => Promise<void>): Promise<void> {
  return withCore(config, logger, (context) => work(context.get(AccountsService)));
}

function one(args: string[], what: string): string {
  if (args.length !== 1) throw new UsageError(`expected one ${what}`);
  return args[0];
}

const PASSWORD_OPTIONS = { password: { type: 'string' }, 'password-stdin': { type: 'boolean' } } as const;

/**
 * The password of `--password P`, or with `--password-stdin` the first line of standard input, or else asked for on
 * the terminal; never more than one of them.
 */
async function passwordOf(values: { password?: string; 'password-stdin'?: boolean }, io: CliIo): Promise<string> {
  if (values.password !== undefined && values['password-stdin'])
    throw new UsageError('give either --password or --password-stdin, not both');
  if (values.password !== undefined) {
    if (!values.password) throw new UsageError('--password needs a value');
    return values.password;
  }
  if (!values['password-stdin']) {
    if (!io.askPassword) throw new UsageError('--password or --password-stdin is required');
    try {
      return await io.askPassword();
    } catch (error) {
      throw new UsageError(`password: ${(error as Error).message}`);
    }
  }
  const line = await readPasswordLine(io.stdin);
  if (!line.ok) throw new UsageError(`--password-stdin: ${line.reason}`);
  return line.password;
}

/** One line of what an account is now: role, quota, state, protocols, expiry. */
/** The role as the command line writes it: `domain-admin`. */
function roleName(role: AccountRole): string {
  return Object.keys(CLI_ROLES).find((name) => CLI_ROLES[name] === role) ?? role;
}

function describeUser(
  user: { role: AccountRole; quotaBytes: number; enabled: boolean; protocols: string[]; expiresAt: number },
  adminDomains: string[],
): string {
  return [
    `role ${roleName(user.role)}${adminDomains.length > 0 ? ` of ${adminDomains.join(',')}` : ''}`,
    `quota ${formatQuota(user.quotaBytes)}`,
    user.enabled ? 'enabled' : 'disabled',
    `protocols ${user.protocols.join(',') || 'none'}`,
    `expires ${user.expiresAt > 0 ? new Date(user.expiresAt).toISOString().slice(0, 10) : 'never'}`,
  ].join(', ');
}

function formatQuota(bytes: number): string {
  return bytes === 0 ? 'unlimited' : formatSize(bytes);
}

function formatSize(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1 && value % 1024 === 0) {
    value /= 1024;
    unit++;
  }
  return `${value}${units[unit]}`;
}

const CLI_ACTOR = 'cli';

/** The role names of the command line, as an operator writes them. */
const CLI_ROLES: Record<string, AccountRole> = { user: 'user', 'domain-admin': 'domain_admin', 'system-admin': 'system_admin' };
const ROLE_LABELS: Record<AccountRole, string> = { user: '', domain_admin: ', domain admin', system_admin: ', system admin' };

function quotaOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseSize(value);
  } catch (error) {
    throw new UsageError(`--quota: ${(error as Error).message}`);
  }
}

function roleOption(value: string | undefined): AccountRole | undefined {
  if (value === undefined) return undefined;
  const role = CLI_ROLES[value];
  if (!role) throw new UsageError(`--role: "${value}" is not a role (${Object.keys(CLI_ROLES).join(', ')})`);
  return role;
}

function domainsOption(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const domains = value
    .split(',')
    .map((domain) => domain.trim())
    .filter((domain) => domain !== '');
  if (domains.length === 0) throw new UsageError('--domains needs at least one domain');
  return domains;
}

function protocolsOption(value: string | undefined): UserChanges['protocols'] {
  if (value === undefined) return undefined;
  // An empty list is allowed: it shuts every protocol off, while an admin can still use WebAdmin.
  if (value.trim() === '' || value.trim() === 'none') return [];
  const protocols = parseProtocols(value);
  if (!protocols) throw new UsageError(`--protocols: "${value}" is not a list of smtp, imap, pop3, webmail, mobile`);
  return protocols;
}

function expiresOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === 'never') return 0;
  const at = parseExpiryDate(value);
  if (at === null) throw new UsageError(`--expires: "${value}" is not a date (YYYY-MM-DD or never)`);
  return at;
}

/** `--json` and at most `most` positional arguments: the options every list command takes. */
function listOptions(args: string[], most: number): { json: boolean; positionals: string[] } {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length > most) throw new UsageError(`unexpected argument "${positionals[most]}"`);
  return { json: values.json ?? false, positionals };
}

type ListedDomain = { name: string; catchAll: string | null };
type ListedUser = {
  address: string;
  role: AccountRole;
  usedBytes: number;
  quotaBytes: number;
  enabled: boolean;
  protocols: string[];
  expiresAt: number;
};
type ListedAlias = { address: string; targets: string[] };

const DOMAIN_LISTING: Listing<ListedDomain> = {
  columns: [
    { header: 'DOMAIN', value: (domain) => domain.name },
    { header: 'CATCH-ALL', value: (domain) => domain.catchAll ?? '-' },
  ],
  json: (domain) => ({ name: domain.name, catchAll: domain.catchAll }),
};

const USER_LISTING: Listing<ListedUser> = {
  columns: [
    { header: 'ADDRESS', value: (user) => user.address },
    { header: 'ROLE', value: (user) => roleName(user.role) },
    { header: 'USED', value: (user) => humanSize(user.usedBytes) },
    { header: 'QUOTA', value: (user) => formatQuota(user.quotaBytes) },
    { header: 'STATE', value: (user) => (user.enabled ? 'enabled' : 'disabled') },
  ],
  json: (user) => ({
    address: user.address,
    role: roleName(user.role),
    usedBytes: user.usedBytes,
    quotaBytes: user.quotaBytes,
    enabled: user.enabled,
    protocols: user.protocols,
    expires: user.expiresAt > 0 ? new Date(user.expiresAt).toISOString().slice(0, 10) : null,
  }),
};

const ALIAS_LISTING: Listing<ListedAlias> = {
  columns: [
    { header: 'ALIAS', value: (alias) => alias.address },
    { header: 'TARGETS', value: (alias) => alias.targets.join(',') },
  ],
  json: (alias) => ({ address: alias.address, targets: alias.targets }),
};

const USER_SET_OPTIONS = {
  quota: { type: 'string' },
  disabled: { type: 'boolean' },
  enabled: { type: 'boolean' },
  role: { type: 'string' },
  domains: { type: 'string' },
  protocols: { type: 'string' },
  expires: { type: 'string' },
  name: { type: 'string' },
} as const;

export const COMMANDS: Record<string, Handler> = {
  'domain add': (args, config, logger, io) =>
    accounts(config, logger, async (service) => {
      const domain = await service.addDomain(one(args, 'domain name'), CLI_ACTOR);
      io.out(`domain ${domain.name} added`);
    }),
  'domain list': (args, config, logger, io) => {
    const { json } = listOptions(args, 0);
    return accounts(config, logger, async (service) => printListing(await service.listDomains(), DOMAIN_LISTING, json, io.out));
  },
  'domain catch-all': (args, config, logger, io) => {
    if (args.length !== 2) throw new UsageError('expected DOMAIN ADDRESS|off');
    const [name, target] = args;
    return accounts(config, logger, async (service) => {
      const domain = await service.setCatchAll(name, target === 'off' ? null : target, CLI_ACTOR);
      io.out(domain.catchAll ? `catch-all of ${domain.name} is ${domain.catchAll}` : `catch-all of ${domain.name} removed`);
    });
  },
  'domain remove': (args, config, logger, io) =>
    accounts(config, logger, async (service) => {
      const name = one(args, 'domain name');
      await service.removeDomain(name, CLI_ACTOR);
      io.out(`domain ${name} removed`);
    }),
  'user add': async (args, config, logger, io) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...PASSWORD_OPTIONS,
        quota: { type: 'string' },
        admin: { type: 'boolean' },
        name: { type: 'string' },
        role: { type: 'string' },
        domains: { type: 'string' },
      },
    });
    const address = one(positionals, 'address');
    const quotaBytes = quotaOption(values.quota);
    const named = roleOption(values.role);
    if (values.admin && named !== undefined && named !== 'system_admin') throw new UsageError('give either --admin or --role, not both');
    const role = values.admin ? 'system_admin' : (named ?? 'user');
    const adminDomains = domainsOption(values.domains);
    if (role === 'domain_admin' && !adminDomains) throw new UsageError('--role domain-admin needs --domains a.org,b.org');
    if (role !== 'domain_admin' && adminDomains) throw new UsageError('--domains is for --role domain-admin');
    const password = await passwordOf(values, io);
    return accounts(config, logger, async (service) => {
      const user = await service.addUser({ address, password, quotaBytes, displayName: values.name, role, adminDomains }, CLI_ACTOR);
      io.out(
        `user ${user.address} added (quota ${formatQuota(user.quotaBytes)}${ROLE_LABELS[user.role]}${adminDomains ? ` of ${adminDomains.join(', ')}` : ''})`,
      );
    });
  },
  'user set': async (args, config, logger, io) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: USER_SET_OPTIONS });
    const address = one(positionals, 'address');
    if (values.disabled && values.enabled) throw new UsageError('give either --disabled or --enabled, not both');
    const changes: UserChanges = {
      quotaBytes: quotaOption(values.quota),
      role: roleOption(values.role),
      adminDomains: domainsOption(values.domains),
      protocols: protocolsOption(values.protocols),
      expiresAt: expiresOption(values.expires),
      displayName: values.name,
      enabled: values.disabled ? false : values.enabled ? true : undefined,
    };
    if (Object.values(changes).every((value) => value === undefined)) throw new UsageError('nothing to change: give at least one option');
    return accounts(config, logger, async (service) => {
      const user = await service.updateUser(address, changes, CLI_ACTOR);
      io.out(`user ${user.address} updated (${describeUser(user, await service.adminDomainNames(user.id))})`);
    });
  },
  'user list': (args, config, logger, io) => {
    const { json, positionals } = listOptions(args, 1);
    return accounts(config, logger, async (service) => printListing(await service.listUsers(positionals[0]), USER_LISTING, json, io.out));
  },
  'user passwd': async (args, config, logger, io) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: PASSWORD_OPTIONS });
    const address = one(positionals, 'address');
    const password = await passwordOf(values, io);
    return accounts(config, logger, async (service) => {
      const revoked = await service.setPassword(address, password, CLI_ACTOR);
      io.out(`password of ${address} changed; ${revoked.sessions} session(s) and ${revoked.appPasswords} app password(s) revoked`);
    });
  },
  'user remove': (args, config, logger, io) =>
    accounts(config, logger, async (service) => {
      const address = one(args, 'address');
      await service.removeUser(address, CLI_ACTOR);
      io.out(`user ${address} removed`);
    }),
  'alias add': (args, config, logger, io) => {
    if (args.length < 2) throw new UsageError('expected ADDRESS TARGET...');
    return accounts(config, logger, async (service) => {
      const alias = await service.addAlias(args[0], args.slice(1), CLI_ACTOR);
      io.out(`alias ${alias.address} -> ${alias.targets.join(', ')} added`);
    });
  },
  'alias list': (args, config, logger, io) => {
    const { json } = listOptions(args, 0);
    return accounts(config, logger, async (service) => printListing(await service.listAliases(), ALIAS_LISTING, json, io.out));
  },
  'alias remove': (args, config, logger, io) =>
    accounts(config, logger, async (service) => {
      const address = one(args, 'address');
      await service.removeAlias(address, CLI_ACTOR);
      io.out(`alias ${address} removed`);
    }),
  migrate: (_args, config, logger, io) =>
    withCore(config, logger, async () => {
      io.out('database schema is up to date');
    }),
  'config print': async (_args, config, _logger, io) => {
    io.out(printConfig(config));
  },
  ...OUTBOUND_COMMANDS,
  ...BLOB_COMMANDS,
  ...BACKUP_COMMANDS,
  ...EXPORT_COMMANDS,
  ...PLUGIN_COMMANDS,
};
