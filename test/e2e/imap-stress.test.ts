import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { formatStressSummary, runImapStress, startStressServer, STRESS_PASSWORD, STRESS_USER } from '../support/imap-stress.js';
import { WireClient } from './imap-wire.js';

const STRESS_SECONDS = 30;

describe('IMAP with ten clients and ten SMTP senders on one mailbox at once', () => {
  let server: MailhiveProcess;
  const clients: WireClient[] = [];

  const selected = async () => {
    const client = await WireClient.open(server.ports.imap);
    clients.push(client);
    expect(await client.command(`LOGIN ${STRESS_USER} ${STRESS_PASSWORD}`)).toMatch(/OK/);
    expect(await client.command('SELECT INBOX')).toMatch(/OK \[READ-WRITE\]/);
    return client;
  };
  const append = async (client: WireClient, flags: string) => {
    const message = 'Subject: keywords\r\n\r\nbody\r\n';
    const tag = client.nextTag();
    client.write(`${tag} APPEND INBOX (${flags}) {${message.length}+}\r\n${message}\r\n`);
    return client.untilTagged(tag);
  };

  beforeAll(async () => {
    server = await startStressServer();
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.destroy();
  });

  // RFC 3501 §7.2.6: a client learns a keyword from FLAGS before any FETCH shows it, in every session.
  it('names a keyword brought by APPEND or STORE in FLAGS and PERMANENTFLAGS first, in the session that brought it and in the others', async () => {
    const first = await selected();
    const second = await selected();
    const appended = await append(first, '$Fresh1');
    expect(appended).toContain('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Fresh1)\r\n');
    expect(appended).toContain('* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Fresh1 \\*)] Flags permitted\r\n');
    expect(appended).toMatch(/\r\n\S+ OK \[APPENDUID \d+ 1\]/);
    // Another session learns of it before the FETCH that shows it.
    expect(await second.command('NOOP')).toContain('* 1 EXISTS\r\n');
    const fetched = await second.command('FETCH 1:* (FLAGS)', 'f1');
    expect(fetched).toMatch(
      /^\* FLAGS \(\\Answered \\Flagged \\Deleted \\Seen \\Draft \$Fresh1\)\r\n\* OK \[PERMANENTFLAGS \([^)]*\$Fresh1 \\\*\)\] Flags permitted\r\n\* 1 FETCH \(FLAGS \([^)]*\$Fresh1\)\)\r\nf1 OK/,
    );

    // A STORE of a new keyword: FLAGS before its own FETCH, even .SILENT, and before the other session's unsolicited FETCH.
    expect(await first.command('STORE 1 +FLAGS ($Fresh2)', 's1')).toMatch(
      /^\* FLAGS \([^)]*\$Fresh1 \$Fresh2\)\r\n\* OK \[PERMANENTFLAGS \([^)]*\$Fresh2 \\\*\)\] Flags permitted\r\n\* 1 FETCH \(FLAGS \([^)]*\$Fresh2\)\)\r\ns1 OK/,
    );
    expect(await first.command('STORE 1 +FLAGS.SILENT ($Fresh3)', 's2')).toMatch(
      /^\* FLAGS \([^)]*\$Fresh3\)\r\n\* OK \[PERMANENTFLAGS \([^)]*\$Fresh3 \\\*\)\] Flags permitted\r\ns2 OK/,
    );
    const noop = await second.command('NOOP', 'n1');
    expect(noop).toMatch(
      /^\* FLAGS \([^)]*\$Fresh2 ?[^)]*\)\r\n\* OK \[PERMANENTFLAGS [^\r]*\r\n\* 1 FETCH \(UID \d+ FLAGS \([^)]*\$Fresh2 \$Fresh3\)\)\r\nn1 OK/,
    );
    // Told once: the next FETCH shows them without another FLAGS.
    expect(await second.command('FETCH 1 (FLAGS)', 'f2')).not.toContain('* FLAGS');
  });

  it(
    `gives no protocol violation in ${STRESS_SECONDS} s of mixed load`,
    async () => {
      const result = await runImapStress({
        imapPort: server.ports.imap,
        smtpPort: server.ports.smtp,
        seconds: STRESS_SECONDS,
        clients: 10,
        senders: 10,
      });
      const summary = `${formatStressSummary(result)}; failures: ${result.failureSamples.join(' | ')}`;
      expect(result.samples, summary).toEqual([]);
      expect(
        Object.values(result.violations).every((count) => count === 0),
        summary,
      ).toBe(true);
      // A command refused or a delivery timed out now and then on a machine this loaded is not a protocol violation,
      // but more than one in a hundred means the load itself broke.
      expect(result.failures, summary).toBeLessThanOrEqual(result.commands / 100);
      // Even on a loaded machine every client gets through many rounds, and mail keeps arriving.
      expect(result.commands, summary).toBeGreaterThan(STRESS_SECONDS * 10);
      expect(result.deliveries, summary).toBeGreaterThan(STRESS_SECONDS);
    },
    (STRESS_SECONDS + 60) * 1000,
  );
});
