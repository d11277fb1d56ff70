import type { FuzzSession } from './fuzz-session.js';
import { FUZZ_ACCOUNT, fuzzMessage } from './fuzz-messages.js';
import type { Prng } from './prng.js';
import { SessionBuilder } from './session-builder.js';

// SMTP sessions (RFC 5321, RFC 3030 BDAT, RFC 4954 AUTH): on the MX port without login, on the implicit-TLS
// submission port with AUTH. Submission only writes to local recipients, so the fuzzer never queues outbound mail.

const MUTATE = 0.25;
const REPLY = { kind: 'smtp' } as const;

function sender(prng: Prng): string {
  return prng.pick([
    '<sender@remote.example>',
    '<>',
    `<${FUZZ_ACCOUNT.user}>`,
    '<a@[127.0.0.1]>',
    '<"odd local"@remote.example>',
    '<@route:a@b.example>',
    'sender@remote.example',
    '<x@y>',
  ]);
}

function recipient(prng: Prng, submission: boolean): string {
  const local = [
    `<${FUZZ_ACCOUNT.user}>`,
    `<${FUZZ_ACCOUNT.peer}>`,
    '<fuzz+tag@fuzz.example>',
    '<nobody@fuzz.example>',
    '<FUZZ@FUZZ.EXAMPLE>',
    '<postmaster>',
  ];
  return prng.pick(
    submission ? local : [...local, '<someone@remote.example>', '<fuzz@fuzz.example@remote.example>', '<"fuzz@fuzz.example">'],
  );
}

function mailParameters(prng: Prng): string {
  return Array.from({ length: prng.range(0, 3) }, () =>
    prng.pick(['SIZE=1000', 'SIZE=99999999999', 'BODY=8BITMIME', 'BODY=BINARYMIME', 'SMTPUTF8', 'RET=HDRS', 'ENVID=x', 'AUTH=<>', 'X=Y']),
  )
    .map((p) => ` ${p}`)
    .join('');
}

/** Dot-stuffs a message for DATA (RFC 5321 §4.5.2). */
function dotStuff(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  return Buffer.from((text.startsWith('.') ? '.' : '') + text.split('\r\n.').join('\r\n..'), 'latin1');
}

function data(b: SessionBuilder): void {
  const prng = b.prng;
  b.line('DATA', REPLY, { mutate: 0.05 });
  const { raw, shape } = fuzzMessage(prng);
  const normal = prng.chance(0.85);
  // The odd endings are the SMTP smuggling shapes: a lone LF or CR around the dot.
  const ending = normal ? '.\r\n' : prng.pick(['\n.\n', '\r.\r', '.\n', '\n.\r\n', '']);
  const stuffed = dotStuff(raw);
  const lineBreak = normal && !stuffed.toString('latin1').endsWith('\r\n') ? '\r\n' : '';
  b.raw(
    Buffer.concat([stuffed, Buffer.from(lineBreak + ending, 'latin1')]),
    REPLY,
    normal ? undefined : `data-end ${JSON.stringify(ending)} ${shape}`,
  );
}

function bdat(b: SessionBuilder): void {
  const prng = b.prng;
  const { raw } = fuzzMessage(prng);
  if (prng.chance(0.2)) {
    b.raw(Buffer.from(`BDAT ${prng.pick(['99999999999', '-1', '1 2 3', 'x', '4294967296 LAST'])}\r\n`), REPLY, 'bdat-size');
    return;
  }
  const cut = prng.chance(0.5) ? prng.int(raw.length) : 0;
  if (cut > 0) b.raw(Buffer.concat([Buffer.from(`BDAT ${cut}\r\n`), raw.subarray(0, cut)]), REPLY);
  const rest = raw.subarray(cut);
  const claimed = prng.chance(0.9) ? rest.length : rest.length + prng.range(1, 100);
  b.raw(Buffer.concat([Buffer.from(`BDAT ${claimed} LAST\r\n`), rest]), REPLY, claimed === rest.length ? undefined : 'bdat-short');
}

function auth(b: SessionBuilder): void {
  const prng = b.prng;
  const { user, password } = FUZZ_ACCOUNT;
  const secret = prng.chance(0.85) ? password : 'wrong';
  if (prng.chance(0.6)) {
    b.line(`AUTH PLAIN ${Buffer.from(`\0${user}\0${secret}`).toString('base64')}`, REPLY, { mutate: 0.1 });
    return;
  }
  b.line('AUTH LOGIN', REPLY, { mutate: 0.1 });
  b.line(Buffer.from(user).toString('base64'), REPLY, { mutate: 0.1 });
  b.line(Buffer.from(secret).toString('base64'), REPLY, { mutate: 0.1 });
}

type Command = (b: SessionBuilder, submission: boolean) => void;

const COMMANDS: Command[] = [
  (b) => b.line(`MAIL FROM:${sender(b.prng)}${mailParameters(b.prng)}`, REPLY, { mutate: MUTATE }),
  (b, submission) =>
    b.line(`RCPT TO:${recipient(b.prng, submission)}${b.prng.chance(0.2) ? ' NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;x@y' : ''}`, REPLY, {
      mutate: MUTATE,
    }),
  (b) => data(b),
  (b) => bdat(b),
  (b) => b.line(b.prng.pick(['RSET', 'NOOP', 'HELP', 'VRFY fuzz', 'EXPN list', 'ETRN x', 'TURN', 'X']), REPLY, { mutate: MUTATE }),
  (b) =>
    b.line(`${b.prng.pick(['EHLO', 'HELO', 'LHLO'])} ${b.prng.pick(['client.example', '[127.0.0.1]', '', 'x'.repeat(300)])}`, REPLY, {
      mutate: MUTATE,
    }),
];

/** A whole mail transaction in order, mutated or not, so that delivery (and its parsing of the message) is reached. */
function transaction(b: SessionBuilder, submission: boolean): void {
  b.line(`MAIL FROM:${submission ? `<${FUZZ_ACCOUNT.user}>` : sender(b.prng)}${mailParameters(b.prng)}`, REPLY, { mutate: 0.1 });
  const count = b.prng.range(1, 3);
  for (let i = 0; i < count; i++) b.line(`RCPT TO:${recipient(b.prng, submission)}`, REPLY, { mutate: 0.1 });
  if (b.prng.chance(0.6)) data(b);
  else bdat(b);
}

/** One SMTP session on the MX port or, with AUTH, on implicit-TLS submission. */
export function smtpSession(prng: Prng, index: number): FuzzSession {
  const submission = prng.chance(0.3);
  const b = new SessionBuilder(prng, index, 'smtp', submission ? 'smtps' : 'smtp');
  if (prng.chance(0.9)) b.line(`EHLO ${prng.pick(['client.example', '[127.0.0.1]', 'fuzz'])}`, REPLY, { mutate: 0.1 });
  if (submission && prng.chance(0.85)) auth(b);
  const count = prng.range(1, 12);
  for (let i = 0; i < count && !b.full; i++) {
    if (prng.chance(0.35)) transaction(b, submission);
    else prng.pick(COMMANDS)(b, submission);
  }
  if (!submission && prng.chance(0.05)) b.line('STARTTLS', REPLY, { startTls: true });
  if (prng.chance(0.7)) b.line('QUIT', REPLY, { mutate: 0.05 });
  return b.build();
}
