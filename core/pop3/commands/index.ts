import type { Pop3Command } from '../pop3-command.js';
import { authCommand } from './auth.command.js';
import { capaCommand } from './capa.command.js';
import { deleCommand } from './dele.command.js';
import { listCommand } from './list.command.js';
import { noopCommand } from './noop.command.js';
import { passCommand } from './pass.command.js';
import { quitCommand } from './quit.command.js';
import { retrCommand } from './retr.command.js';
import { rsetCommand } from './rset.command.js';
import { statCommand } from './stat.command.js';
import { stlsCommand } from './stls.command.js';
import { topCommand } from './top.command.js';
import { uidlCommand } from './uidl.command.js';
import { userCommand } from './user.command.js';

/** The command registry: one entry per verb. */
export const POP3_COMMANDS: readonly Pop3Command[] = [
  capaCommand,
  userCommand,
  passCommand,
  authCommand,
  stlsCommand,
  statCommand,
  listCommand,
  uidlCommand,
  retrCommand,
  topCommand,
  deleCommand,
  noopCommand,
  rsetCommand,
  quitCommand,
];
