import type { AnyCommandModule } from '../imap-command.js';
import { appendCommand } from './append.command.js';
import { authenticateCommand } from './authenticate.command.js';
import { capabilityCommand } from './capability.command.js';
import { closeCommand } from './close.command.js';
import { compressCommand } from './compress.command.js';
import { copyCommand } from './copy.command.js';
import { createCommand } from './create.command.js';
import { deleteCommand } from './delete.command.js';
import { enableCommand } from './enable.command.js';
import { expungeCommand } from './expunge.command.js';
import { fetchCommand } from './fetch.command.js';
import { idCommand } from './id.command.js';
import { idleCommand } from './idle.command.js';
import { listCommand } from './list.command.js';
import { loginCommand } from './login.command.js';
import { logoutCommand } from './logout.command.js';
import { namespaceCommand } from './namespace.command.js';
import { noopCommand } from './noop.command.js';
import { quotaCommand } from './quota.command.js';
import { renameCommand } from './rename.command.js';
import { searchCommand } from './search.command.js';
import { selectCommand } from './select.command.js';
import { sortCommand } from './sort.command.js';
import { starttlsCommand } from './starttls.command.js';
import { statusCommand } from './status.command.js';
import { storeCommand } from './store.command.js';
import { subscribeCommand } from './subscribe.command.js';
import { threadCommand } from './thread.command.js';

const MODULES: AnyCommandModule[] = [
  capabilityCommand,
  noopCommand,
  logoutCommand,
  starttlsCommand,
  loginCommand,
  authenticateCommand,
  idCommand,
  enableCommand,
  namespaceCommand,
  listCommand,
  statusCommand,
  selectCommand,
  createCommand,
  deleteCommand,
  renameCommand,
  subscribeCommand,
  appendCommand,
  closeCommand,
  expungeCommand,
  searchCommand,
  fetchCommand,
  storeCommand,
  copyCommand,
  idleCommand,
  quotaCommand,
  sortCommand,
  threadCommand,
  compressCommand,
] as AnyCommandModule[];

/** Verb → command module; the dispatcher's only way to find a command. */
export function commandRegistry(): ReadonlyMap<string, AnyCommandModule> {
  const registry = new Map<string, AnyCommandModule>();
  for (const module of MODULES) for (const verb of module.verbs) registry.set(verb, module);
  return registry;
}
