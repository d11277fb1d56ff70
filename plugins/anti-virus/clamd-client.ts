import { connect, type Socket } from 'node:net';

export type ScanVerdict = { kind: 'clean' } | { kind: 'infected'; signature: string } | { kind: 'error'; reason: string };

/** clamd's default StreamMaxLength is 25 MiB; INSTREAM chunks are at most this big. */
const CHUNK = 64 * 1024;

/** `host:port` for TCP, anything else a unix socket path. */
export function clamdEndpoint(address: string): { path: string } | { host: string; port: number } {
  const tcp = /^([^/:]+|\[[^\]]+\]):(\d+)$/.exec(address);
  return tcp ? { host: tcp[1]!.replace(/^\[|\]$/g, ''), port: Number(tcp[2]) } : { path: address };
}

/** clamd's answer to INSTREAM, `stream: OK` or `stream: NAME FOUND` or `... ERROR`, as a verdict. */
export function parseClamdReply(reply: string): ScanVerdict {
  const text = reply.replace(/\0/g, '').trim();
  const found = /^stream: (.+) FOUND$/.exec(text);
  if (found) return { kind: 'infected', signature: found[1]! };
  if (text === 'stream: OK') return { kind: 'clean' };
  return { kind: 'error', reason: text || 'no answer from clamd' };
}

/**
 * Scans bytes with clamd's INSTREAM command (the `z` form: NUL-terminated): the data goes in chunks, each after its
 * length as a 4-byte big-endian number, and a zero length ends it. Never throws: a failure is an `error` verdict.
 */
export function scanWithClamd(address: string, data: Buffer, timeoutMs: number): Promise<ScanVerdict> {
  return new Promise((resolve) => {
    let settled = false;
    let reply = '';
    const socket: Socket = connect(clamdEndpoint(address));
    const finish = (verdict: ScanVerdict) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(verdict);
    };
    socket.setTimeout(timeoutMs, () => finish({ kind: 'error', reason: `clamd did not answer within ${timeoutMs} ms` }));
    socket.on('error', (error) => finish({ kind: 'error', reason: error.message }));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\0')) finish(parseClamdReply(reply));
    });
    socket.on('end', () => finish(parseClamdReply(reply)));
    socket.on('connect', () => {
      socket.write('zINSTREAM\0');
      for (let offset = 0; offset < data.length; offset += CHUNK) {
        const part = data.subarray(offset, offset + CHUNK);
        const length = Buffer.alloc(4);
        length.writeUInt32BE(part.length);
        socket.write(length);
        socket.write(part);
      }
      socket.write(Buffer.alloc(4));
    });
  });
}
