// Mixed IMAP load: 10 clients, each in a loop of LOGIN, SELECT, FETCH 1:* (UID FLAGS), UID FETCH of one
// BODY.PEEK[], UID STORE, APPEND, UID STORE \Deleted, UID EXPUNGE, LOGOUT, for a fixed time against the built
// server. Prints one summary line: commands per second and errors. (Dovecot: about 1,200 commands/s here.)
// Run: npm run build && node dist/bench/imap-load.js [seconds=20] [clients=10] [rounds-per-login=1]   (MAILHIVE_TEST_DB=mariadb)
import { MailhiveProcess } from '../test/support/mailhive-process.js';
import { ImapBenchClient } from './imap-bench-client.js';

const seconds = Number(process.argv[2] ?? 20);
const clients = Number(process.argv[3] ?? 10);
/** Rounds per login: 1 logs in every round; more shows the other commands without scrypt's 50 ms per login. */
const roundsPerLogin = Number(process.argv[4] ?? 1);
const SEED = 50;

const message = (i: number) =>
  Buffer.from(`From: load${i}@example.com\r\nTo: user@load.example\r\nSubject: load ${i}\r\n\r\n${'Some body text. '.repeat(60)}\r\n`);

const server = await MailhiveProcess.create();
try {
  await server.start();
  await server.cli('domain', 'add', 'load.example');
  for (let c = 0; c < clients; c++) await server.cli('user', 'add', `user${c}@load.example`, '--password', 'secret123');
  // Seed every mailbox so FETCH has something to do.
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const client = await ImapBenchClient.open(server.ports.imap);
      await client.command(`LOGIN user${c}@load.example secret123`);
      const parts: Buffer[] = [Buffer.from('APPEND INBOX')];
      for (let i = 0; i < SEED; i++) parts.push(Buffer.from(` {${message(i).length}+}\r\n`), message(i));
      await client.command(parts);
      await client.command('LOGOUT').catch(() => undefined);
      client.close();
    }),
  );
  let commands = 0;
  let errors = 0;
  const timeByVerb = new Map<string, { ms: number; count: number }>();
  const deadline = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      let round = 0;
      while (Date.now() < deadline) {
        let client: ImapBenchClient | null = null;
        try {
          client = await ImapBenchClient.open(server.ports.imap);
          const send = async (text: string | Buffer[]) => {
            const verb = (typeof text === 'string' ? text : text[0].toString('latin1'))
              .split(' ')
              .slice(0, /^UID /.test(String(text)) ? 2 : 1)
              .join(' ');
            const before = performance.now();
            const reply = await client!.command(text);
            const entry = timeByVerb.get(verb) ?? { ms: 0, count: 0 };
            entry.ms += performance.now() - before;
            entry.count++;
            timeByVerb.set(verb, entry);
            commands++;
            return reply;
          };
          await send(`LOGIN user${c}@load.example secret123`);
          for (let i = 0; i < roundsPerLogin && Date.now() < deadline; i++) {
            round++;
            await send('SELECT INBOX');
            await send('FETCH 1:* (UID FLAGS)');
            await send(`UID FETCH ${1 + (round % SEED)} (BODY.PEEK[])`);
            await send(`UID STORE ${1 + (round % SEED)} ${round % 2 ? '+' : '-'}FLAGS (\\Seen)`);
            const raw = message(1000 + round);
            const appended = (await send([Buffer.from(`APPEND INBOX {${raw.length}+}\r\n`), raw])).toString('latin1');
            const uid = /APPENDUID \d+ (\d+)/.exec(appended)?.[1];
            await send(`UID STORE ${uid} +FLAGS.SILENT (\\Deleted)`);
            await send(`UID EXPUNGE ${uid}`);
          }
          await send('LOGOUT');
        } catch {
          errors++;
        } finally {
          client?.close();
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    `imap-load: ${clients} clients, ${roundsPerLogin} round(s) per login, for ${elapsed.toFixed(1)} s on ${process.env.MAILHIVE_TEST_DB ?? 'sqlite'}: ` +
      `${(commands / elapsed).toFixed(0)} commands/s (${commands} commands), ${errors} errors; mean ms per command: ` +
      [...timeByVerb].map(([verb, { ms, count }]) => `${verb} ${(ms / count).toFixed(1)}`).join(', '),
  );
} finally {
  await server.destroy();
}
