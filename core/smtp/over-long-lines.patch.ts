import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { SMTPStream } from 'smtp-server/lib/smtp-stream.js';
import { OVER_LONG_MARKER, OverLongLineFilter } from './over-long-lines.js';

/** Over-long lines one connection may send before it is closed: a client that keeps flooding is not worth serving. */
export const MAX_OVER_LONG_LINES = 10;

type WriteCallback = (error?: Error | null) => void;

interface StreamInternals {
  _dataMode: boolean;
  _remainder: string;
  _maxCommandLength: number;
  isClosed: boolean;
  overLongFilter?: OverLongLineFilter;
  _write(chunk: Buffer, encoding: BufferEncoding, next: WriteCallback): void;
}

interface ConnectionInternals {
  _upgrading?: boolean;
  _nextHandler?: unknown;
  overLongLines?: number;
  send(code: number, data?: string): void;
  _onCommand(command: Buffer, callback?: () => void): void;
}

let applied = false;

/**
 * smtp-server answers a command line over `maxCommandLength` with `421 Error: Command line too long` and closes the
 * connection. RFC 5321 §4.5.3.1.4 wants `500` for a line that is too long, and the session to go on: the parser now
 * sees a marker line in its place (over-long-lines.ts), answered here in its turn among pipelined commands. After
 * MAX_OVER_LONG_LINES of them the connection gets 421 and is closed.
 */
export function applyOverLongLinePatch(): void {
  if (applied) return;
  applied = true;
  const stream = SMTPStream.prototype as unknown as StreamInternals;
  const write = stream._write;
  stream._write = function filteredWrite(this: StreamInternals, chunk, encoding, next) {
    if (this._dataMode || this.isClosed || !Buffer.isBuffer(chunk) || chunk.length === 0) return write.call(this, chunk, encoding, next);
    this.overLongFilter ??= new OverLongLineFilter(this._maxCommandLength);
    const { output, dropPending } = this.overLongFilter.filter(chunk, Buffer.byteLength(this._remainder, 'latin1'));
    if (dropPending) this._remainder = '';
    if (output.length === 0) return next();
    return write.call(this, output, encoding, next);
  };
  const connection = SMTPConnection.prototype as unknown as ConnectionInternals;
  const onCommand = connection._onCommand;
  connection._onCommand = function answerOverLong(this: ConnectionInternals, command, callback) {
    if (this._upgrading || command.toString('latin1') !== OVER_LONG_MARKER) return onCommand.call(this, command, callback);
    // A pending AUTH exchange does not take the marker as its answer.
    this._nextHandler = false;
    this.overLongLines = (this.overLongLines ?? 0) + 1;
    if (this.overLongLines >= MAX_OVER_LONG_LINES) return this.send(421, '4.7.0 Too many over-long lines, closing connection');
    this.send(500, '5.5.2 Line too long');
    if (callback) setImmediate(callback);
  };
}
