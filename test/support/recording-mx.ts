import { SMTPServer } from 'smtp-server';
import { listenOnFreePort } from './mailhive-process.js';

export interface ReceivedMail {
  to: string[];
  raw: string;
}

/**
 * A remote MX for outbound tests: a real smtp-server on a loopback port 0 that accepts everything, without TLS or
 * AUTH, and keeps what it received in `received`.
 */
export class RecordingMx {
  readonly received: ReceivedMail[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        this.received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw: Buffer.concat(chunks).toString() });
        callback();
      });
    },
  });

  /** Starts listening; resolves with the port. */
  listen(): Promise<number> {
    return listenOnFreePort(this.server.server);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
