import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddressArgs, type SMTPServerRecipientDSN } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnFreePort, MailhiveProcess } from '../support/mailhive-process.js';
import { rawMessage, SmtpWire, smtpTransaction, StoreView } from './smtp-helpers.js';
import { until } from '../support/poll.js';

interface Received {
  from: string;
  mailArgs: SMTPServerAddressArgs | false;
  rcpts: { address: string; dsn: SMTPServerRecipientDSN | undefined }[];
  raw: string;
}

/** A remote MX on loopback: with `dsn` it advertises the DSN extension (RFC 3461), without it it does not. */
function remoteMx(dsn: boolean): { server: SMTPServer; received: Received[]; attempts: Map<string, number> } {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    hideDSN: !dsn,
    onRcptTo: (address, _session, callback) => {
      attempts.set(address.address, (attempts.get(address.address) ?? 0) + 1);
      if (address.address.startsWith('gone')) return callback(Object.assign(new Error('5.1.1 no such user here'), { responseCode: 550 }));
      if (address.address.startsWith('stuck')) return callback(Object.assign(new Error('4.2.1 mailbox busy'), { responseCode: 450 }));
      callback();
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom;
        received.push({
          from: mailFrom ? mailFrom.address : '',
          mailArgs: mailFrom ? mailFrom.args : false,
          rcpts: session.envelope.rcptTo.map((rcpt) => ({ address: rcpt.address, dsn: rcpt.dsn })),
          raw: Buffer.concat(chunks).toString(),
        });
        callback();
      });
    },
  });
  return { server, received, attempts };
}

/**
 * RFC 3461 end to end: DSN parameters given to Mailhive over SMTP decide which RFC 3464 reports reach the sender,
 * what they hold, and are passed on to a remote MX that supports DSN. dsn.test's MX (127.0.0.1) advertises
 * DSN; plain.test's (127.0.0.2, same port) does not.
 */
describe('SMTP delivery status notifications (RFC 3461)', () => {
  let server: MailhiveProcess;
  let store: StoreView;
  const dsnMx = remoteMx(true);
  const plainMx = remoteMx(false);
  const login = { user: 'ann@local.test', pass: 'secret123' };

  const submit = (subject: string, mail: string, rcpts: string[], body = `${subject} body text\r\n`) =>
    smtpTransaction(server.ports.submission, {
      login,
      mail,
      rcpts,
      message: rawMessage('ann@local.test', 'someone@plain.test', subject, body),
    });
  /** Reports in ann's INBOX about the message with this subject (the report returns the original header). */
  const reportsAbout = async (subject: string) =>
    (await store.messages('ann@local.test'))
      .map((message) => message.raw.toString())
      .filter((raw) => raw.includes('report-type=delivery-status') && raw.includes(`Subject: ${subject}\r\n`));
  const waitForReports = (subject: string, count: number, timeoutMs = 15_000) =>
    until(
      `${count} report(s) about ${subject}`,
      async () => {
        const reports = await reportsAbout(subject);
        return reports.length >= count ? reports : undefined;
      },
      timeoutMs,
    );
  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    const mxPort = await listenOnFreePort(dsnMx.server.server);
    await new Promise<void>((resolve) => plainMx.server.listen(mxPort, '127.0.0.2', resolve));
    const fixtures = join(mkdtempSync(join(tmpdir(), 'mailhive-dns-')), 'dns.json');
    writeFileSync(
      fixtures,
      JSON.stringify({
        'dsn.test': { MX: [{ exchange: 'mx.dsn.test', priority: 10 }] },
        'mx.dsn.test': { A: ['127.0.0.1'] },
        'plain.test': { MX: [{ exchange: 'mx.plain.test', priority: 10 }] },
        'mx.plain.test': { A: ['127.0.0.2'] },
      }),
    );
    server = await MailhiveProcess.create({
      MAILHIVE_DNS_FIXTURES: fixtures,
      MAILHIVE_OUTBOUND_ALLOW_PRIVATE_MX: 'true',
      MAILHIVE_OUTBOUND_PORT: String(mxPort),
      MAILHIVE_OUTBOUND_RETRY_SECONDS: '1',
      MAILHIVE_OUTBOUND_POLL_SECONDS: '1',
      MAILHIVE_OUTBOUND_LIFETIME_SECONDS: '9',
      MAILHIVE_OUTBOUND_DELAY_WARNING_SECONDS: '2',
    });
    await server.start();
    expect((await server.cli('domain', 'add', 'local.test')).code).toBe(0);
    for (const user of ['ann', 'bob'])
      expect((await server.cli('user', 'add', `${user}@local.test`, '--password', 'secret123')).code).toBe(0);
    store = await StoreView.open(server);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
    await Promise.all([dsnMx, plainMx].map(({ server: mx }) => new Promise<void>((resolve) => mx.close(() => resolve()))));
  });

  it('refuses invalid DSN parameters with 501 5.5.4', async () => {
    const wire = await SmtpWire.open(server.ports.smtp);
    expect(await wire.command('EHLO client.test')).toMatch(/^250-[\s\S]*\r\n250[ -]DSN\b/m);
    expect(await wire.command('MAIL FROM:<x@outside.test> RET=BODY')).toMatch(/^501 5\.5\.4 /);
    expect(await wire.command(`MAIL FROM:<x@outside.test> ENVID=${'E'.repeat(101)}`)).toMatch(/^501 5\.5\.4 ENVID/);
    expect(await wire.command('MAIL FROM:<x@outside.test> RET=HDRS ENVID=QQ314159')).toMatch(/^250 /);
    expect(await wire.command('RCPT TO:<bob@local.test> NOTIFY=SOMETIMES')).toMatch(/^501 5\.5\.4 /);
    expect(await wire.command('RCPT TO:<bob@local.test> NOTIFY=NEVER,SUCCESS')).toMatch(/^501 5\.5\.4 /);
    expect(await wire.command('RCPT TO:<bob@local.test> NOTIFY=DELAY,DELAY')).toMatch(/^501 5\.5\.4 NOTIFY lists a value twice/);
    expect(await wire.command('RCPT TO:<bob@local.test> ORCPT=bob@local.test')).toMatch(/^501 5\.5\.4 /);
    expect(await wire.command('RCPT TO:<bob@local.test> ORCPT=rfc822;bob+20smith@local.test')).toMatch(/^501 5\.5\.4 ORCPT/);
    expect(await wire.command('RCPT TO:<bob@local.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@local.test')).toMatch(/^250 /);
    await wire.command('QUIT');
    wire.close();
  });

  it('NOTIFY=NEVER suppresses the failure report; the recipient beside it without NOTIFY still gets one', async () => {
    const result = await submit('Never bounce', '<ann@local.test>', ['<gone-never@plain.test> NOTIFY=NEVER', '<gone-default@plain.test>']);
    expect(result.data).toMatch(/^250 /);
    const [report] = await waitForReports('Never bounce', 1);
    expect(report).toContain('Final-Recipient: rfc822; gone-default@plain.test\r\nAction: failed\r\nStatus: 5.1.1\r\n');
    expect(report).not.toContain('gone-never@plain.test');
    expect(plainMx.attempts.get('gone-never@plain.test')).toBe(1);

    await submit('Never alone', '<ann@local.test>', ['<gone-alone@plain.test> NOTIFY=NEVER']);
    await until('the remote refusal', () => plainMx.attempts.get('gone-alone@plain.test'));
    await settle(2000);
    expect(await reportsAbout('Never alone')).toEqual([]);
    expect((await server.cli('queue', 'list')).stdout).not.toContain('gone-alone');
  });

  it('NOTIFY=SUCCESS to a server without DSN gives a relayed report with ENVID, the xtext-decoded ORCPT and RET=HDRS', async () => {
    const result = await submit('Relayed', '<ann@local.test> RET=HDRS ENVID=env+2B42', [
      '<carol@plain.test> NOTIFY=SUCCESS ORCPT=rfc822;Carol+2Btag@plain.test',
    ]);
    expect(result.data).toMatch(/^250 /);
    const [report] = await waitForReports('Relayed', 1);
    expect(report).toContain('Subject: Successful Mail Delivery Report\r\n');
    expect(report).toContain('Original-Envelope-Id: env+42\r\nReporting-MTA: dns; ');
    expect(report).toContain(
      'Original-Recipient: rfc822;Carol+tag@plain.test\r\nFinal-Recipient: rfc822; carol@plain.test\r\n' +
        'Action: relayed\r\nStatus: 2.0.0\r\nRemote-MTA: dns; mx.plain.test\r\n',
    );
    expect(report).toContain('Content-Type: text/rfc822-headers\r\n');
    expect(report).not.toContain('Relayed body text');
    // The plain MX was sent no DSN parameters (it does not advertise them).
    const sent = plainMx.received.find((item) => item.raw.includes('Subject: Relayed'))!;
    expect(sent.mailArgs).toBe(false);
  });

  it('NOTIFY=SUCCESS for a local recipient gives a delivered report in the sender INBOX', async () => {
    const result = await submit('Local success', '<ann@local.test> ENVID=LOCAL-1', [
      '<bob@local.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@local.test',
    ]);
    expect(result.data).toMatch(/^250 /);
    const [report] = await waitForReports('Local success', 1);
    expect(report).toContain('Original-Envelope-Id: LOCAL-1\r\n');
    expect(report).toContain(
      'Original-Recipient: rfc822;bob@local.test\r\nFinal-Recipient: rfc822; bob@local.test\r\nAction: delivered\r\nStatus: 2.0.0\r\n',
    );
    expect((await store.messages('bob@local.test')).some((message) => message.raw.includes('Subject: Local success'))).toBe(true);
    const parsed = await simpleParser(Buffer.from(report!));
    expect(parsed.subject).toBe('Successful Mail Delivery Report');
  });

  it('a local recipient without NOTIFY=SUCCESS gets no report', async () => {
    await submit('Local quiet', '<ann@local.test>', ['<bob@local.test>']);
    await until('the local copy', async () =>
      (await store.messages('bob@local.test')).some((message) => message.raw.includes('Subject: Local quiet')) ? true : undefined,
    );
    await settle(500);
    expect(await reportsAbout('Local quiet')).toEqual([]);
  });

  it('RET=HDRS returns only the header of a failed message, RET=FULL the whole message', async () => {
    await submit('Ret headers', '<ann@local.test> RET=HDRS ENVID=hdrs-1', ['<gone-hdrs@plain.test> ORCPT=rfc822;gone-hdrs@plain.test']);
    await submit('Ret full', '<ann@local.test> RET=FULL ENVID=full-1', ['<gone-full@plain.test>']);
    const [headers] = await waitForReports('Ret headers', 1);
    expect(headers).toContain('Original-Envelope-Id: hdrs-1\r\n');
    expect(headers).toContain(
      'Original-Recipient: rfc822;gone-hdrs@plain.test\r\nFinal-Recipient: rfc822; gone-hdrs@plain.test\r\nAction: failed\r\n',
    );
    expect(headers).toContain('Content-Type: text/rfc822-headers\r\n');
    expect(headers).not.toContain('Ret headers body text');
    const [full] = await waitForReports('Ret full', 1);
    expect(full).toContain('Original-Envelope-Id: full-1\r\n');
    expect(full).toContain('Content-Type: message/rfc822\r\n');
    expect(full).toContain('Ret full body text\r\n');
    const parsed = await simpleParser(Buffer.from(full!));
    expect(
      parsed.attachments.some((part) => part.contentType === 'message/rfc822' && part.content.toString().includes('Ret full body text')),
    ).toBe(true);
  });

  it('passes NOTIFY, ORCPT, RET and ENVID on to a remote that supports DSN, and leaves the success report to it', async () => {
    const result = await submit('Passed on', '<ann@local.test> RET=HDRS ENVID=QQ314159', [
      '<dave@dsn.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Dave+2Bx@dsn.test',
      '<erin@dsn.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;erin@dsn.test',
      '<fred@dsn.test>',
    ]);
    expect(result.data).toMatch(/^250 /);
    const sent = await until('the remote transactions', () => {
      const found = dsnMx.received.filter((item) => item.raw.includes('Subject: Passed on'));
      return found.length >= 3 ? found : undefined;
    });
    // One transaction per distinct NOTIFY/ORCPT: each recipient gets exactly one copy.
    expect(sent.flatMap((item) => item.rcpts.map((rcpt) => rcpt.address)).sort()).toEqual([
      'dave@dsn.test',
      'erin@dsn.test',
      'fred@dsn.test',
    ]);
    for (const item of sent) expect(item.mailArgs).toMatchObject({ RET: 'HDRS', ENVID: 'QQ314159' });
    const rcpt = (address: string) => sent.flatMap((item) => item.rcpts).find((entry) => entry.address === address)!;
    expect(rcpt('dave@dsn.test').dsn).toEqual({ notify: ['SUCCESS', 'FAILURE'], orcpt: 'rfc822;Dave+x@dsn.test' });
    expect(rcpt('erin@dsn.test').dsn).toEqual({ notify: ['SUCCESS', 'FAILURE'], orcpt: 'rfc822;erin@dsn.test' });
    expect(rcpt('fred@dsn.test').dsn).toBeUndefined();
    await settle(1500);
    expect(await reportsAbout('Passed on')).toEqual([]);
  });

  it('NOTIFY=DELAY gives one delayed report after the warning time, then the failure at expiry', async () => {
    await submit('Slow one', '<ann@local.test> ENVID=slow-1', ['<stuck@plain.test> NOTIFY=DELAY,FAILURE']);
    const [delayed] = await waitForReports('Slow one', 1);
    expect(delayed).toContain('Subject: Delayed Mail (still being retried)\r\n');
    expect(delayed).toContain('Original-Envelope-Id: slow-1\r\n');
    expect(delayed).toMatch(/Final-Recipient: rfc822; stuck@plain.test\r\nAction: delayed\r\nStatus: 4\.2\.1\r\n[\s\S]*Will-Retry-Until: /);
    const reports = await waitForReports('Slow one', 2, 20_000);
    expect(reports[1]).toContain('Action: failed\r\nStatus: 4.4.7\r\n');
    expect(reports.filter((report) => report.includes('Action: delayed'))).toHaveLength(1);
    expect(plainMx.attempts.get('stuck@plain.test')).toBeGreaterThanOrEqual(3);
  });

  it("nodemailer's own dsn option reaches the report", async () => {
    await nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: server.ports.submission,
        secure: false,
        requireTLS: true,
        auth: login,
        tls: { rejectUnauthorized: false },
      })
      .sendMail({
        envelope: { from: 'ann@local.test', to: ['gone-nm@plain.test'] },
        raw: rawMessage('ann@local.test', 'gone-nm@plain.test', 'Via nodemailer', 'x\r\n'),
        dsn: { id: 'nm-42', return: 'headers', notify: ['FAILURE'], recipient: 'gone-nm@plain.test' },
      });
    const [report] = await waitForReports('Via nodemailer', 1);
    expect(report).toContain('Original-Envelope-Id: nm-42\r\n');
    expect(report).toContain('Original-Recipient: rfc822;gone-nm@plain.test\r\n');
  });
});
