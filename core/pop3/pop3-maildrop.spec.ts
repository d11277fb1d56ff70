import { describe, expect, it } from 'vitest';
import type { Pop3Content } from './pop3-backend.js';
import { Pop3Maildrop, type MaildropMessage } from './pop3-maildrop.js';

function maildrop(sizes: number[]): Pop3Maildrop {
  const messages = sizes.map((storedSize, i): MaildropMessage => ({
    number: i + 1,
    messageId: i + 1,
    uid: i + 1,
    blobId: `blob${i + 1}`,
    storedSize,
    octets: storedSize,
    deleted: false,
    retrieved: false,
  }));
  return new Pop3Maildrop(1, 1, 1, { name: 'lease', owner: 'test' }, messages);
}

/** A reader that records each batch it was asked for. */
function recordingReader(batches: number[][]) {
  return async (messages: readonly MaildropMessage[]): Promise<Pop3Content[]> => {
    batches.push(messages.map((message) => message.number));
    return messages.map((message) => ({ kind: 'buffer', raw: Buffer.from(message.blobId) }));
  };
}

const LIMITS = { messages: 4, octets: 1000, wholeMessageOctets: 500 };

describe('Pop3Maildrop read-ahead', () => {
  it('reads the following messages in batches, refilling once half of them are used', async () => {
    const drop = maildrop(Array.from({ length: 10 }, () => 100));
    const batches: number[][] = [];
    const read = recordingReader(batches);
    for (let number = 1; number <= 10; number++) {
      const content = await drop.contentWithReadAhead(drop.get(number)!, read, LIMITS);
      expect(content).toEqual({ kind: 'buffer', raw: Buffer.from(`blob${number}`) });
    }
    expect(batches).toEqual([[1], [2, 3, 4, 5], [6, 7, 8], [9, 10]]);
  });

  it('skips deleted messages and stops a batch at a large message or the octet limit', async () => {
    const drop = maildrop([100, 100, 100, 600, 100, 400, 400, 400]);
    drop.get(2)!.deleted = true;
    const batches: number[][] = [];
    const read = recordingReader(batches);
    await drop.contentWithReadAhead(drop.get(1)!, read, LIMITS);
    await drop.contentWithReadAhead(drop.get(4)!, read, LIMITS);
    expect(batches).toEqual([[1], [3], [4], [5, 6, 7]]);
  });

  it('drops contents read ahead for messages the client skipped', async () => {
    const drop = maildrop(Array.from({ length: 10 }, () => 100));
    const batches: number[][] = [];
    const read = recordingReader(batches);
    await drop.contentWithReadAhead(drop.get(1)!, read, LIMITS);
    await drop.contentWithReadAhead(drop.get(7)!, read, LIMITS);
    // 2-5 were read ahead; 7 was not, and going back to 3 reads it again.
    await drop.contentWithReadAhead(drop.get(3)!, read, LIMITS);
    expect(batches).toEqual([[1], [2, 3, 4, 5], [7], [8, 9, 10], [3]]);
  });
});
