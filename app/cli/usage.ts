/** One command of the CLI as its help shows it. */
interface CommandUsage {
  /** The words that select the command: `domain add`. */
  command: string;
  /** Its arguments and options after the command words. */
  args: string;
  summary: string;
}

/** The backup commands (app/cli/backup.commands.ts, export.commands.ts); all of them parse options. */
const BACKUP_USAGE: CommandUsage[] = [
  {
    command: 'backup create',
    args: '[--incremental] --to DIR [--key-file F | --passphrase-stdin]',
    summary: 'back up the whole store while it runs (last line: the backup id)',
  },
  { command: 'backup list', args: '--from DIR', summary: 'list the complete backups of a location' },
  {
    command: 'backup verify',
    args: 'ID --from DIR [--key-file F | --passphrase-stdin]',
    summary: 'check every checksum of a backup and its chain',
  },
  {
    command: 'backup restore',
    args: 'ID --from DIR [--key-file F | --passphrase-stdin] [--user A [--mailbox M] [--uid N | --message-id X] [--into B]]',
    summary: 'restore a backup (and its chain) into an empty store; with --user, only that mail into the running one',
  },
  { command: 'backup prune', args: '--from DIR --keep-full N --keep-days D', summary: 'remove backups beyond retention' },
  {
    command: 'export',
    args: '--user ADDRESS [--mailbox M] --format mbox|maildir|eml --out PATH',
    summary: "write a user's mail (one folder or all) with its flags, bytes unchanged",
  },
  {
    command: 'import',
    args: '--user ADDRESS [--mailbox M] --format mbox|maildir|eml --in PATH [--skip-duplicates]',
    summary: 'append mail from an export (counts against the quota)',
  },
];

export const BACKUP_COMMAND_NAMES: readonly string[] = BACKUP_USAGE.map((entry) => entry.command);

/**
 * The CLI's usage: the one source of `mailhive --help`, `mailhive <command> --help` and README's "Command line"
 * block (a test keeps the README equal to `mailhive --help`).
 */
const COMMAND_USAGE: CommandUsage[] = [
  { command: 'start', args: '', summary: 'start the server' },
  { command: 'migrate', args: '', summary: 'create or migrate the database schema' },
  { command: 'config print', args: '', summary: 'show the effective configuration (secrets masked)' },
  { command: 'domain add', args: 'DOMAIN', summary: 'host a domain' },
  { command: 'domain list', args: '[--json]', summary: 'list the hosted domains' },
  { command: 'domain remove', args: 'DOMAIN', summary: 'remove a domain without users or aliases' },
  {
    command: 'domain catch-all',
    args: 'DOMAIN ADDRESS|off',
    summary: 'deliver unknown local parts of DOMAIN to ADDRESS (a user or alias)',
  },
  { command: 'domain dkim', args: 'DOMAIN', summary: 'print the DKIM DNS TXT record of a domain' },
  {
    command: 'domain dns',
    args: 'DOMAIN [--json]',
    summary: 'print the DNS records to publish for a domain: MX, SPF, DKIM, DMARC, client SRV',
  },
  {
    command: 'user add',
    args: 'ADDRESS [--password P | --password-stdin] [--quota 2G] [--name NAME] [--admin | --role domain-admin --domains a.org,b.org]',
    summary: 'add a user (--admin: a system admin)',
  },
  {
    command: 'user set',
    args: 'ADDRESS [--quota Q] [--disabled|--enabled] [--name NAME] [--role user|domain-admin|system-admin] [--domains a.org,...] [--protocols imap,pop3,smtp,webmail,mobile|none] [--expires YYYY-MM-DD|never]',
    summary: 'change a user',
  },
  { command: 'user list', args: '[DOMAIN] [--json]', summary: 'list users with their role, usage and quota' },
  { command: 'user passwd', args: 'ADDRESS [--password P | --password-stdin]', summary: 'set a password (signs the user out everywhere)' },
  { command: 'user remove', args: 'ADDRESS', summary: 'remove a user' },
  { command: 'alias add', args: 'ADDRESS TARGET...', summary: 'add an alias or list (refused if it would loop back to itself)' },
  { command: 'alias list', args: '[--json]', summary: 'list aliases and their targets' },
  { command: 'alias remove', args: 'ADDRESS', summary: 'remove an alias' },
  { command: 'queue list', args: '[--json]', summary: 'list the outbound queue' },
  { command: 'queue retry', args: 'ID', summary: 'retry a queued message now' },
  { command: 'queue delete', args: 'ID', summary: 'delete a queued message' },
  {
    command: 'blobs migrate',
    args: '--to s3://BUCKET/PREFIX|DIR [--from DIR|s3://...]',
    summary: 'copy every blob to another store and read each back, while the servers run (see docs/cluster.md)',
  },
  ...BACKUP_USAGE,
  { command: 'plugin list', args: '', summary: 'list the plugins of MAILHIVE_PLUGINS: order, state, hooks, configuration' },
  { command: 'plugin enable', args: 'NAME', summary: 'enable a plugin (running servers follow without a restart)' },
  { command: 'plugin disable', args: 'NAME', summary: 'disable a plugin (running servers follow without a restart)' },
  { command: 'plugin set', args: 'NAME KEY=VALUE...', summary: 'set configuration values of a plugin (validated)' },
  { command: 'plugin new', args: 'NAME [--dir DIR]', summary: 'create a plugin with a test under plugins/NAME' },
];

const SUMMARY_COLUMN = 36;

const FOOTER = `Options: --help (also after any command), --version. --password-stdin reads one line from standard input;
without a password option a terminal is asked for it. List commands print a table, or JSON with --json.
Exit codes: 0 done, 1 refused or failed, 2 usage error.`;

function line(entry: CommandUsage): string {
  const synopsis = `mailhive ${entry.command}${entry.args ? ` ${entry.args}` : ''}`;
  // A synopsis too long for the column puts its summary on a line of its own.
  return synopsis.length < SUMMARY_COLUMN
    ? `${synopsis.padEnd(SUMMARY_COLUMN)}${entry.summary}`
    : `${synopsis}\n${' '.repeat(SUMMARY_COLUMN)}${entry.summary}`;
}

/** `mailhive --help`. */
export const USAGE = `${COMMAND_USAGE.map(line).join('\n')}\n${FOOTER}`;

/** The command names the CLI knows, and the first words that group them (`domain`, `user`, ...). */
export const COMMAND_NAMES: ReadonlySet<string> = new Set(COMMAND_USAGE.map((entry) => entry.command));
export const COMMAND_GROUPS: ReadonlySet<string> = new Set(
  COMMAND_USAGE.filter((entry) => entry.command.includes(' ')).map((entry) => entry.command.split(' ')[0]!),
);

/** The usage of one command (`user add`) or of a group (`user`); null for neither. */
export function usageOf(topic: string): string | null {
  const entries = COMMAND_USAGE.filter((entry) => entry.command === topic || entry.command.startsWith(`${topic} `));
  return entries.length > 0 ? entries.map(line).join('\n') : null;
}

/** The subcommands of a group, for the error that names them: `add|list|passwd|remove`. */
export function subcommandsOf(group: string): string {
  return COMMAND_USAGE.filter((entry) => entry.command.startsWith(`${group} `))
    .map((entry) => entry.command.slice(group.length + 1))
    .join('|');
}
