import type { FuzzSession } from './fuzz-session.js';
import { FUZZ_ACCOUNT } from './fuzz-messages.js';
import type { Prng } from './prng.js';
import { SessionBuilder } from './session-builder.js';

// POP3 sessions (RFC 1939, RFC 2449 CAPA, RFC 5034 AUTH): log in, then the transaction commands, some mutated.

const MUTATE = 0.25;
const SINGLE = { kind: 'pop3', multiline: false } as const;
const MULTI = { kind: 'pop3', multiline: true } as const;

function number(prng: Prng): string {
  return prng.pick(['1', '2', '3', '4', String(prng.range(1, 50)), '0', '-1', '4294967296', '1.5', '']);
}

type Command = (b: SessionBuilder) => void;

const TRANSACTION: Command[] = [
  (b) => b.line('STAT', SINGLE, { mutate: MUTATE }),
  (b) => b.line('LIST', MULTI, { mutate: MUTATE }),
  (b) => b.line(`LIST ${number(b.prng)}`, SINGLE, { mutate: MUTATE }),
  (b) => b.line('UIDL', MULTI, { mutate: MUTATE }),
  (b) => b.line(`UIDL ${number(b.prng)}`, SINGLE, { mutate: MUTATE }),
  (b) => b.line(`RETR ${number(b.prng)}`, MULTI, { mutate: MUTATE }),
  (b) => b.line(`TOP ${number(b.prng)} ${b.prng.pick(['0', '1', '10', '99999999', '-1'])}`, MULTI, { mutate: MUTATE }),
  (b) => b.line(`DELE ${number(b.prng)}`, SINGLE, { mutate: MUTATE }),
  (b) => b.line(b.prng.pick(['RSET', 'NOOP', 'LAST', 'XTND XMIT', 'USER again']), SINGLE, { mutate: MUTATE }),
  (b) => b.line('CAPA', MULTI, { mutate: MUTATE }),
];

const AUTHORIZATION: Command[] = [
  (b) => b.line(`USER ${FUZZ_ACCOUNT.user}`, SINGLE, { mutate: MUTATE }),
  (b) => b.line(`PASS ${b.prng.pick(['wrong', '', FUZZ_ACCOUNT.password])}`, SINGLE, { mutate: MUTATE }),
  (b) =>
    b.line(
      b.prng.pick(['CAPA', 'STAT', 'APOP fuzz@fuzz.example 0123456789abcdef', 'AUTH', 'AUTH BOGUS', 'AUTH PLAIN', 'NOOP', 'UTF8', 'X']),
      SINGLE,
      { mutate: MUTATE },
    ),
  (b) => b.line('STLS', SINGLE, { mutate: MUTATE, startTls: true }),
];

function login(b: SessionBuilder): void {
  const { user, password } = FUZZ_ACCOUNT;
  if (b.prng.chance(0.3)) {
    b.line(`AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}`, SINGLE);
    return;
  }
  b.line(`USER ${user}`, SINGLE);
  b.line(`PASS ${password}`, SINGLE);
}

/** One POP3 session: usually logged in; QUIT after DELE is rare, so the maildrop is not emptied too soon. */
export function pop3Session(prng: Prng, index: number): FuzzSession {
  const b = new SessionBuilder(prng, index, 'pop3', 'pop3');
  const count = prng.range(1, 20);
  if (prng.chance(0.15)) {
    for (let i = 0; i < count && !b.full; i++) prng.pick(AUTHORIZATION)(b);
    return b.build();
  }
  login(b);
  for (let i = 0; i < count && !b.full; i++) prng.pick(TRANSACTION)(b);
  if (prng.chance(0.8)) b.line('RSET', SINGLE);
  if (prng.chance(0.7)) b.line('QUIT', SINGLE, { mutate: 0.05 });
  return b.build();
}
