import { describe, expect, it } from 'vitest';
import { formatThreads, orderedSubjectThreads, referenceThreads, type ThreadMessage } from './threading.js';

interface Spec {
  id?: string | null;
  refs?: string[];
  reply?: string | null;
  subject?: string;
  /** Sent date in minutes; defaults to the sequence number. */
  at?: number;
}

/** Messages numbered 1, 2, ... in the given order. */
function messages(...specs: Spec[]): ThreadMessage<number>[] {
  return specs.map((spec, index) => ({
    item: index + 1,
    order: index + 1,
    sentDate: (spec.at ?? index + 1) * 60_000,
    subject: spec.subject ?? `subject ${index + 1}`,
    messageId: spec.id === undefined ? `<m${index + 1}@example.com>` : spec.id,
    references: spec.refs ?? [],
    inReplyTo: spec.reply ?? null,
  }));
}

const references = (...specs: Spec[]) => formatThreads(referenceThreads(messages(...specs)), (n) => n);

describe('THREAD=REFERENCES', () => {
  it('nests replies by References, one child on the same level and several in parentheses', () => {
    expect(
      references(
        {},
        { refs: ['<m1@example.com>'] },
        { refs: ['<m1@example.com>', '<m2@example.com>'] },
        { refs: ['<m1@example.com>'] },
        {},
      ),
    ).toBe('(1 (2 3)(4))(5)');
  });

  it('falls back to In-Reply-To only when References has no valid ID', () => {
    expect(
      references({}, { reply: 'your message <m1@example.com> of today' }, { refs: ['not-an-id', 'junk'], reply: '<m2@example.com>' }),
    ).toBe('(1 2 3)');
    // With a valid References, In-Reply-To is not used.
    expect(references({}, {}, { refs: ['<m2@example.com>'], reply: '<m1@example.com>' })).toBe('(1)(2 3)');
  });

  it('keeps a missing parent as a dummy that holds its children together, at the root only when several', () => {
    // 2 and 3 reply to the absent <gone@x>: a dummy at the root holds both.
    expect(references({}, { refs: ['<gone@x>'] }, { refs: ['<gone@x>'] })).toBe('(1)((2)(3))');
    // A single child of a missing parent is promoted to the root.
    expect(references({ refs: ['<gone@x>'] }, {})).toBe('(1)(2)');
    // A dummy inside a thread is replaced by its children.
    expect(references({}, { refs: ['<m1@example.com>', '<gone@x>'] }, { refs: ['<m1@example.com>', '<gone@x>'] })).toBe('(1 (2)(3))');
  });

  it('never links in a loop', () => {
    // 1 says its parent is 2, 2 says its parent is 1: the later message's link would close a loop and is refused.
    expect(references({ refs: ['<m2@example.com>'] }, { refs: ['<m1@example.com>'] })).toBe('(2 1)');
    // A message that references itself.
    expect(references({ refs: ['<m1@example.com>'] })).toBe('(1)');
    // A References chain that repeats an ID.
    expect(references({}, { refs: ['<m1@example.com>', '<a@x>', '<m1@example.com>'] })).toBe('(1 2)');
  });

  it("lets a message's own References replace a link made from another message's", () => {
    // 1's References put 2 under 3; 2's own References name 4, so that (truncated) link is broken.
    expect(
      references(
        { refs: ['<m3@example.com>', '<m2@example.com>'], subject: 'a' },
        { refs: ['<m4@example.com>'], subject: 'b' },
        { subject: 'c' },
        { subject: 'd' },
      ),
    ).toBe('(3)(4 2 1)');
    // A link made from References is kept when a later message's References disagree (step 1A).
    expect(references({ subject: 'a' }, { refs: ['<m3@example.com>', '<m1@example.com>'], subject: 'b' }, { subject: 'c' })).toBe(
      '(3 1 2)',
    );
  });

  it('treats a repeated Message-ID as unique, so replies go to the first message having it', () => {
    expect(references({ id: '<dup@x>' }, { id: '<dup@x>' }, { refs: ['<dup@x>'] })).toBe('(1 3)(2)');
  });

  it('gives messages without a valid Message-ID an ID of their own', () => {
    expect(references({ id: null, subject: 'x' }, { id: 'garbage', subject: 'y' }, { refs: ['garbage'], subject: 'z' })).toBe('(1)(2)(3)');
    // Text around a valid msg-id is ignored.
    expect(references({ id: ' <x@y> (sent by a gateway)' }, { refs: ['<x@y>'] })).toBe('(1 2)');
  });

  it('joins root threads with the same base subject', () => {
    // A reply that lost its references goes under the original.
    expect(references({ subject: 'Plans' }, { subject: 'Re: plans', id: '<other@x>' })).toBe('(1 2)');
    // Two originals with the same subject share a dummy parent.
    expect(references({ subject: 'Plans' }, { subject: 'other' }, { subject: '[list] plans' })).toBe('((1)(3))(2)');
    // A reply earlier than the original still sorts under it.
    expect(references({ subject: 'Re: plans', at: 1 }, { subject: 'Plans', at: 5 })).toBe('(2 1)');
    // Empty subjects are never joined.
    expect(references({ subject: '' }, { subject: 'Re:' })).toBe('(1)(2)');
    // A dummy thread takes the subject of its first child and collects the others.
    expect(
      references({ refs: ['<gone@x>'], subject: 'Topic' }, { refs: ['<gone@x>'], subject: 'Re: topic' }, { subject: 'Fwd: Topic' }),
    ).toBe('((1)(2)(3))');
  });

  it('sorts siblings and threads by sent date, the sequence number breaking ties', () => {
    expect(
      references({ at: 10 }, { refs: ['<m1@example.com>'], at: 30 }, { refs: ['<m1@example.com>'], at: 20 }, { at: 5 }, { at: 5 }),
    ).toBe('(4)(5)(1 (3)(2))');
  });

  it('threads a reply chain thousands deep without exhausting the stack', () => {
    const specs: Spec[] = Array.from({ length: 20_000 }, (_, i) => ({ refs: i === 0 ? [] : [`<m${i}@example.com>`], subject: 'deep' }));
    const text = references(...specs);
    expect(text.startsWith('(1 2 3 ')).toBe(true);
    expect(text.endsWith(' 19999 20000)')).toBe(true);
  });

  it('answers an empty list for no messages', () => {
    expect(references()).toBe('');
  });
});

describe('THREAD=ORDEREDSUBJECT', () => {
  it('groups by base subject under the earliest message, threads in date order', () => {
    const threads = orderedSubjectThreads(
      messages(
        { subject: 'b', at: 3 },
        { subject: 'Re: a', at: 2 },
        { subject: 'A', at: 1 },
        { subject: 'Fwd: b', at: 4 },
        { subject: 'c', at: 0 },
      ),
    );
    expect(formatThreads(threads, (n) => n)).toBe('(5)(3 2)(1 4)');
  });

  it('lists several replies as siblings', () => {
    const threads = orderedSubjectThreads(messages({ subject: 'x' }, { subject: 're: x' }, { subject: 're: x' }));
    expect(formatThreads(threads, (n) => n)).toBe('(1 (2)(3))');
  });
});

describe('threading large mailboxes', () => {
  it('threads 200,000 replies to one missing message without overflowing the stack', () => {
    const replies: ThreadMessage<number>[] = Array.from({ length: 200_000 }, (_, i) => ({
      item: i + 1,
      order: i + 1,
      sentDate: i * 60_000,
      subject: 'same',
      messageId: null,
      references: ['<gone@example.com>', '<also-gone@example.com>'],
      inReplyTo: null,
    }));
    const text = formatThreads(referenceThreads(replies), (n) => n);
    expect(text.startsWith('((1)(2)(3)')).toBe(true);
    expect(text.endsWith('(200000))')).toBe(true);
  });
});
