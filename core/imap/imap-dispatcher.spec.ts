import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { defineCommand, ok, type AnyCommandModule, type CommandContext } from './imap-command.js';
import { ImapDispatcher, type DispatchTarget } from './imap-dispatcher.js';
import type { ImapCommand } from './protocol/imap-values.js';
import { ImapSession } from './session/imap-session.js';

const echo = defineCommand({
  verbs: ['ECHO'],
  states: ['not-authenticated'],
  parse: (args) => args.string('text'),
  run: async (ctx, text) => ok(`said ${text}`),
});
const broken = defineCommand({
  verbs: ['BROKEN'],
  states: ['not-authenticated'],
  parse: (args) => args.end(),
  run: async () => {
    throw new Error('a bug');
  },
});
const selectedOnly = defineCommand({
  verbs: ['NEEDSBOX'],
  states: ['selected'],
  parse: (args) => args.end(),
  run: async () => ok('done'),
});

function target() {
  const lines: string[] = [];
  const logged: string[] = [];
  const logger = pino(
    { level: 'error' },
    {
      write: (line: string) => {
        logged.push(line);
      },
    },
  );
  const session = new ImapSession('test', '127.0.0.1', false, false);
  const t: DispatchTarget = {
    session,
    log: logger,
    context: (command: ImapCommand) => ({ tag: command.tag, verb: command.verb, session, log: logger }) as unknown as CommandContext,
    writeLine: (text) => lines.push(text),
    reportChanges: async () => undefined,
    close: async () => undefined,
  };
  return { t, lines, logged };
}

const registry = new Map<string, AnyCommandModule>([
  ['ECHO', echo],
  ['BROKEN', broken],
  ['NEEDSBOX', selectedOnly],
] as [string, AnyCommandModule][]);

describe('ImapDispatcher', () => {
  it('runs a command with its parsed arguments', async () => {
    const { t, lines } = target();
    expect(await new ImapDispatcher(registry).dispatch(Buffer.from('a1 ECHO "hi there"\r\n'), t)).toBe(true);
    expect(lines).toEqual(['a1 OK said hi there']);
  });

  it('answers a thrown bug with NO [SERVERBUG], logs it and keeps the session', async () => {
    const { t, lines, logged } = target();
    const dispatcher = new ImapDispatcher(registry);
    expect(await dispatcher.dispatch(Buffer.from('a1 BROKEN\r\n'), t)).toBe(true);
    expect(lines).toEqual(['a1 NO [SERVERBUG] Internal error; the problem was logged']);
    expect(logged.join('')).toContain('a bug');
    expect(logged.join('')).toContain('IMAP command failed');
    await dispatcher.dispatch(Buffer.from('a2 ECHO x\r\n'), t);
    expect(lines[1]).toBe('a2 OK said x');
  });

  it('checks state and argument shape before running', async () => {
    const { t, lines } = target();
    const dispatcher = new ImapDispatcher(registry);
    await dispatcher.dispatch(Buffer.from('a1 NEEDSBOX\r\n'), t);
    await dispatcher.dispatch(Buffer.from('a2 ECHO\r\n'), t);
    await dispatcher.dispatch(Buffer.from('a3 ECHO (list)\r\n'), t);
    await dispatcher.dispatch(Buffer.from('a4 NOSUCH\r\n'), t);
    expect(lines).toEqual([
      'a1 BAD Log in first',
      'a2 BAD Missing text',
      'a3 BAD Expected text, got a list',
      'a4 BAD Unknown command NOSUCH',
    ]);
  });

  it('says BYE after 20 BADs in a row, and a good command resets the count', async () => {
    const { t, lines } = target();
    const dispatcher = new ImapDispatcher(registry);
    for (let i = 0; i < 19; i++) expect(await dispatcher.dispatch(Buffer.from(`b${i} NOSUCH\r\n`), t)).toBe(true);
    await dispatcher.dispatch(Buffer.from('ok ECHO x\r\n'), t);
    for (let i = 0; i < 19; i++) expect(await dispatcher.dispatch(Buffer.from(`c${i} NOSUCH\r\n`), t)).toBe(true);
    expect(await dispatcher.dispatch(Buffer.from('last NOSUCH\r\n'), t)).toBe(false);
    expect(lines.at(-1)).toBe('* BYE Too many invalid commands');
  });
});
