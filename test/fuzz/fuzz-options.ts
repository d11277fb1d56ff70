import { FUZZ_LIMITS } from './fuzz-limits.js';

export interface FuzzOptions {
  protocol: 'imap' | 'pop3' | 'smtp' | 'all';
  seconds: number;
  seed: string;
  sessions: number;
  outDir: string | null;
  replay: string | null;
  /** With --replay: run only the failing session, not the run that led to it. */
  lastOnly: boolean;
  verbose: boolean;
}

export const USAGE = `usage: npm run fuzz -- [--protocol smtp|pop3|imap|all] [--seconds N] [--seed S] [--sessions N] [--out DIR] [--verbose]
       npm run fuzz -- --replay FILE [--last-only]`;

/** Parses the command line; a string is the usage error to print. */
export function parseFuzzOptions(argv: readonly string[]): FuzzOptions | string {
  const options: FuzzOptions = {
    protocol: 'all',
    seconds: 30,
    seed: String(Date.now() % 1_000_000),
    sessions: FUZZ_LIMITS.maxSessions,
    outDir: null,
    replay: null,
    lastOnly: false,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = (): string | undefined => argv[++i];
    switch (name) {
      case '--protocol': {
        const protocol = value();
        if (protocol !== 'imap' && protocol !== 'pop3' && protocol !== 'smtp' && protocol !== 'all')
          return `--protocol: one of smtp, pop3, imap, all`;
        options.protocol = protocol;
        break;
      }
      case '--seconds': {
        const seconds = Number(value());
        if (!Number.isFinite(seconds) || seconds <= 0 || seconds > FUZZ_LIMITS.maxSeconds)
          return `--seconds: a number from 1 to ${FUZZ_LIMITS.maxSeconds}`;
        options.seconds = seconds;
        break;
      }
      case '--sessions': {
        const sessions = Number(value());
        if (!Number.isInteger(sessions) || sessions <= 0 || sessions > FUZZ_LIMITS.maxSessions)
          return `--sessions: a whole number from 1 to ${FUZZ_LIMITS.maxSessions}`;
        options.sessions = sessions;
        break;
      }
      case '--seed': {
        const seed = value();
        if (!seed) return '--seed: a value';
        options.seed = seed;
        break;
      }
      case '--out': {
        const dir = value();
        if (!dir) return '--out: a directory';
        options.outDir = dir;
        break;
      }
      case '--replay': {
        const file = value();
        if (!file) return '--replay: a file';
        options.replay = file;
        break;
      }
      case '--last-only':
        options.lastOnly = true;
        break;
      case '--verbose':
        options.verbose = true;
        break;
      default:
        return `unknown option ${name}`;
    }
  }
  return options;
}
