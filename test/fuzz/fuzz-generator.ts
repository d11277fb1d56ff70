import type { FuzzProtocol, FuzzSession } from './fuzz-session.js';
import { imapSession } from './imap-grammar.js';
import { pop3Session } from './pop3-grammar.js';
import { Prng } from './prng.js';
import { smtpSession } from './smtp-grammar.js';

const GENERATORS: Readonly<Record<FuzzProtocol, (prng: Prng, index: number) => FuzzSession>> = {
  imap: imapSession,
  pop3: pop3Session,
  smtp: smtpSession,
};

const ROTATION: readonly FuzzProtocol[] = ['imap', 'pop3', 'smtp'];

/**
 * Session `index` of a run: it depends only on the seed, the protocol choice and the index (each session has a
 * generator of its own), so any session of a run can be made again without the ones before it.
 */
export function generateSession(seed: string, protocol: FuzzProtocol | 'all', index: number): FuzzSession {
  const chosen = protocol === 'all' ? ROTATION[index % ROTATION.length] : protocol;
  return GENERATORS[chosen](new Prng(`${seed}:${chosen}:${index}`), index);
}
