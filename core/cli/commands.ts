import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { AccountsService } from '../accounts/accounts.service.js';
import { printConfig } from '../config/config.loader.js';
import { parseSize, type MailhiveConfig } from '../config/config.schema.js';
import { OUTBOUND_COMMANDS } from '../outbound/outbound.cli.js';
import { UsageError } from './cli-error.js';
import { withCore } from './core-context.js';
import { readPasswordLine } from './password-input.js';

export interface CliIo {
  out(line: string): void;
  /** Standard input, read by `--password-stdin`. */
  stdin: Readable;
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

/** The password of `--password P` or, with `--password-stdin`, the first line of standard input; exactly one of them. */
async function passwordOf(values: { password?: string; 'password-stdin'?: boolean }, io: CliIo): Promise<string> {
  if (values.password !== undefined && values['password-stdin']) throw new UsageError('give either --password or --password-stdin, not both');
  if (values.password !== undefined) {
    if (!values.password) throw new UsageError('--password needs a value');
    return values.password;
  }
  if (!values['password-stdin']) throw new UsageError('--password or --password-stdin is required');
  const line = await readPasswordLine(io.stdin);
  if (!line.ok) throw new UsageError(`--password-stdin: ${line.reason}`);
  return line.password;
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

export const COMMANDS: Record<string, Handler> = {
  'domain add': (args, config, logger, io) => accounts(config, logger, async (service) => {
    const domain = await service.addDomain(one(args, 'domain name'), CLI_ACTOR);
    io.out(`domain ${domain.name} added`);
  }),
  'domain list': (_args, config, logger, io) => accounts(config, logger, async (service) => {
    for (const domain of await service.listDomains()) io.out(domain.catchAll ? `${domain.name}\tcatch-all ${domain.catchAll}` : domain.name);
  }),
  'domain catch-all': (args, config, logger, io) => {
    if (args.length !== 2) throw new UsageError('expected DOMAIN ADDRESS|off');
    const [name, target] = args;
    return accounts(config, logger, async (service) => {
      const domain = await service.setCatchAll(name, target === 'off' ? null : target, CLI_ACTOR);
      io.out(domain.catchAll ? `catch-all of ${domain.name} is ${domain.catchAll}` : `catch-all of ${domain.name} removed`);
    });
  },
  'domain remove': (args, config, logger, io) => accounts(config, logger, async (service) => {
    const name = one(args, 'domain name');
    await service.removeDomain(name, CLI_ACTOR);
    io.out(`domain ${name} removed`);
  }),
  'user add': async (args, config, logger, io) => {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { ...PASSWORD_OPTIONS, quota: { type: 'string' }, admin: { type: 'boolean' }, name: { type: 'string' } },
    });
    const address = one(positionals, 'address');
    let quotaBytes: number | undefined;
    if (values.quota !== undefined) {
      try {
        quotaBytes = parseSize(values.quota);
      } catch (error) {
        throw new UsageError(`--quota: ${(error as Error).message}`);
      }
    }
    const password = await passwordOf(values, io);
    return accounts(config, logger, async (service) => {
      const user = await service.addUser({
        address, password, quotaBytes, displayName: values.name,
        role: values.admin ? 'system_admin' : 'user',
      }, CLI_ACTOR);
      io.out(`user ${user.address} added (quota ${formatQuota(user.quotaBytes)}${values.admin ? ', system admin' : ''})`);
    });
  },
  'user list': (args, config, logger, io) => accounts(config, logger, async (service) => {
    for (const user of await service.listUsers(args[0])) {
      io.out([user.address, user.role, `${formatSize(user.usedBytes)}/${formatQuota(user.quotaBytes)}`, user.enabled ? 'enabled' : 'disabled'].join('\t'));
    }
  }),
  'user passwd': async (args, config, logger, io) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: PASSWORD_OPTIONS });
    const address = one(positionals, 'address');
    const password = await passwordOf(values, io);
    return accounts(config, logger, async (service) => {
      const revoked = await service.setPassword(address, password, CLI_ACTOR);
      io.out(`password of ${address} changed; ${revoked.sessions} session(s) and ${revoked.appPasswords} app password(s) revoked`);
    });
  },
  'user remove': (args, config, logger, io) => accounts(config, logger, async (service) => {
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
  'alias list': (_args, config, logger, io) => accounts(config, logger, async (service) => {
    for (const alias of await service.listAliases()) io.out(`${alias.address}\t${alias.targets.join(',')}`);
  }),
  'alias remove': (args, config, logger, io) => accounts(config, logger, async (service) => {
    const address = one(args, 'address');
    await service.removeAlias(address, CLI_ACTOR);
    io.out(`alias ${address} removed`);
  }),
  migrate: (_args, config, logger, io) => withCore(config, logger, async () => {
    io.out('database schema is up to date');
  }),
  'config print': async (_args, config, _logger, io) => {
    io.out(printConfig(config));
  },
  ...OUTBOUND_COMMANDS,
};
