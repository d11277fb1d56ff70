import type { Logger } from 'pino';
import { imapCommandSeconds, imapCommandsTotal } from './imap-metrics.js';
import { type AnyCommandModule, type CommandContext, type CommandResult } from './imap-command.js';
import { Args, BadArguments } from './protocol/command-args.js';
import { IMAP_LIMITS } from './protocol/imap-limits.js';
import { parseCommand } from './protocol/imap-parser.js';
import type { ImapCommand } from './protocol/imap-values.js';
import type { ImapSession } from './session/imap-session.js';

/** What the dispatcher needs from the connection it serves. */
export interface DispatchTarget {
  readonly session: ImapSession;
  readonly log: Logger;
  context(command: ImapCommand): CommandContext;
  writeLine(text: string): void;
  /** Untagged responses for changes by other sessions that may be reported now. */
  reportChanges(allowExpunge: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * Dispatch: parse, look up the verb, check the state and the argument shape, run, report pending changes,
 * write the tagged reply, count BADs and record metrics. Commands never repeat these checks.
 */
export class ImapDispatcher {
  private badInARow = 0;

  constructor(private readonly registry: ReadonlyMap<string, AnyCommandModule>) {}

  /** Answers one framed command; false once the session must end. */
  async dispatch(bytes: Buffer, target: DispatchTarget): Promise<boolean> {
    const parsed = parseCommand(bytes);
    if (!parsed.ok) return this.reply(target, parsed.tag ?? '*', 'UNPARSED', bad(parsed.text));
    const { command } = parsed;
    const module = this.registry.get(command.verb);
    if (!module) return this.reply(target, command.tag, 'UNKNOWN', bad(`Unknown command ${command.verb.slice(0, 30)}`));
    if (!module.states.includes(target.session.state)) {
      return this.reply(target, command.tag, command.verb, bad(wrongState(target.session.state, module.states)));
    }
    let args: unknown;
    try {
      args = module.parse(new Args(command.args), command.verb);
    } catch (error) {
      if (error instanceof BadArguments) return this.reply(target, command.tag, command.verb, bad(error.message));
      throw error;
    }
    const started = process.hrtime.bigint();
    let result: CommandResult;
    try {
      result = await module.run(target.context(command), args);
    } catch (error) {
      if (error instanceof BadArguments) {
        // Arguments that can only be checked against the mailbox (a sequence number beyond EXISTS).
        result = bad(error.message);
      } else {
        // A bug in one command must not end the session or the process (RFC 5530 SERVERBUG).
        target.log.error({ err: error, verb: command.verb }, 'IMAP command failed');
        result = { status: 'NO', code: 'SERVERBUG', text: 'Internal error; the problem was logged' };
      }
    }
    imapCommandSeconds.observe({ verb: command.verb }, Number(process.hrtime.bigint() - started) / 1e9);
    if (target.session.state === 'selected') await target.reportChanges(module.allowsExpunge !== false);
    const keepGoing = this.reply(target, command.tag, command.verb, result);
    if (result.after) await result.after();
    return keepGoing && target.session.state !== 'logout';
  }

  /** Writes the tagged line; false after too many BADs in a row. */
  reply(target: DispatchTarget, tag: string, verb: string, result: CommandResult): boolean {
    const code = result.code ? `[${result.code}] ` : '';
    target.writeLine(`${tag} ${result.status} ${code}${result.text}`);
    imapCommandsTotal.inc({ verb, status: result.status });
    this.badInARow = result.status === 'BAD' ? this.badInARow + 1 : 0;
    if (this.badInARow >= IMAP_LIMITS.maxBadCommands) {
      target.log.info({ bad: this.badInARow }, 'closing IMAP session after too many bad commands');
      target.writeLine('* BYE Too many invalid commands');
      return false;
    }
    return true;
  }

  /** A framing error (over-long line, refused literal) counts as a BAD too. */
  framingError(target: DispatchTarget, response: string): boolean {
    target.writeLine(response);
    const isBad = / BAD /.test(response);
    this.badInARow = isBad ? this.badInARow + 1 : 0;
    if (this.badInARow >= IMAP_LIMITS.maxBadCommands) {
      target.writeLine('* BYE Too many invalid commands');
      return false;
    }
    return true;
  }
}

function bad(text: string): CommandResult {
  return { status: 'BAD', text };
}

function wrongState(state: ImapSession['state'], allowed: readonly ImapSession['state'][]): string {
  if (state === 'not-authenticated') return 'Log in first';
  if (state === 'authenticated' && allowed.includes('selected')) return 'Select a mailbox first';
  return 'Command not valid in this state';
}
