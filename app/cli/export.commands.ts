import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { AccountsService } from '../../core/accounts/accounts.service.js';
import type { MailhiveConfig } from '../../core/config/config.schema.js';
import { MailboxService } from '../../core/mail/mailbox.service.js';
import { MessageService } from '../../core/mail/message.service.js';
import {
  MailPortabilityService,
  PORTABLE_FORMATS,
  type PortableFormat,
} from '../../modules/backup/portability/mail-portability.service.js';
import { UsageError } from './cli-error.js';
import { withCore } from './core-context.js';

type Handler = (args: string[], config: MailhiveConfig, logger: Logger, io: { out(line: string): void }) => Promise<void>;

const COMMON = { user: { type: 'string' }, mailbox: { type: 'string' }, format: { type: 'string' } } as const;

function portability(config: MailhiveConfig, logger: Logger, work: (service: MailPortabilityService) => Promise<void>): Promise<void> {
  return withCore(config, logger, (context) =>
    work(new MailPortabilityService(context.get(AccountsService), context.get(MailboxService), context.get(MessageService))),
  );
}

function formatOf(value: string | undefined): PortableFormat {
  if (!value) throw new UsageError(`--format ${PORTABLE_FORMATS.join('|')} is required`);
  if (!(PORTABLE_FORMATS as readonly string[]).includes(value))
    throw new UsageError(`--format: "${value}" is not one of ${PORTABLE_FORMATS.join(', ')}`);
  return value as PortableFormat;
}

function required(value: string | undefined, option: string): string {
  if (!value) throw new UsageError(`${option} is required`);
  return value;
}

/** `mailhive export` and `mailhive import`, merged into the CLI's command table. */
export const EXPORT_COMMANDS: Record<string, Handler> = {
  export: async (args, config, logger, io) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...COMMON, out: { type: 'string' } } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const options = {
      address: required(values.user, '--user'),
      mailbox: values.mailbox,
      format: formatOf(values.format),
      out: required(values.out, '--out'),
    };
    return portability(config, logger, async (service) => {
      const summary = await service.export(options);
      io.out(`exported ${summary.messages} message(s) of ${summary.mailboxes} folder(s) (${summary.bytes} bytes) to ${options.out}`);
    });
  },
  import: async (args, config, logger, io) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...COMMON, in: { type: 'string' }, 'skip-duplicates': { type: 'boolean' } },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const options = {
      address: required(values.user, '--user'),
      mailbox: values.mailbox,
      format: formatOf(values.format),
      input: required(values.in, '--in'),
      skipDuplicates: values['skip-duplicates'] ?? false,
    };
    return portability(config, logger, async (service) => {
      const summary = await service.import(options);
      io.out(
        `imported ${summary.messages} message(s) into ${summary.mailboxes} folder(s)${summary.skipped > 0 ? `, ${summary.skipped} duplicate(s) skipped` : ''}`,
      );
    });
  },
};
