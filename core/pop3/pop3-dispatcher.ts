import type { Pop3Command, Pop3Context, Pop3State } from './pop3-command.js';
import { parseCommandLine } from './pop3-command.parser.js';
import { err, type Pop3Reply } from './pop3-reply.js';

const WRONG_STATE: Record<Pop3State, string> = {
  AUTHORIZATION: 'not allowed before login',
  TRANSACTION: 'not allowed after login',
  UPDATE: 'not allowed while the session ends',
};

/**
 * Dispatch: a line is parsed, its command looked up in the registry, its state and arguments checked, then it
 * runs. A command that throws is a bug: it is logged and answered with an error; the session goes on.
 */
export class Pop3Dispatcher {
  private readonly commands: ReadonlyMap<string, Pop3Command>;

  constructor(commands: readonly Pop3Command[]) {
    this.commands = new Map(commands.map((command) => [command.verb, command]));
  }

  async dispatch(context: Pop3Context, line: string): Promise<Pop3Reply> {
    const parsed = parseCommandLine(line);
    if (!parsed) return err('malformed command');
    const command = this.commands.get(parsed.verb);
    if (!command) return err(`unknown command ${parsed.verb}`);
    if (!command.states.includes(context.session.state)) return err(`${parsed.verb} ${WRONG_STATE[context.session.state]}`);
    // Only the verb is logged: PASS and AUTH lines carry secrets.
    context.log.debug({ command: parsed.verb }, 'pop3 command');
    return guarded(context, parsed.verb, () =>
      command.execute(context, { words: parsed.words, rest: parsed.rest, maildrop: context.session.maildrop }),
    );
  }

  /** The client's answer to a SASL challenge, with the same protection as a command. */
  resume(context: Pop3Context, next: (line: string) => Promise<Pop3Reply>, line: string): Promise<Pop3Reply> {
    return guarded(context, 'AUTH', () => next(line));
  }
}

async function guarded(context: Pop3Context, verb: string, run: () => Promise<Pop3Reply>): Promise<Pop3Reply> {
  try {
    return await run();
  } catch (error) {
    context.log.error({ err: error, command: verb }, 'pop3 command failed');
    return err('internal error, please try again later', 'SYS/TEMP');
  }
}
