import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeMessage } from '../../../core/mime/analyze-message.js';
import { decodedBytes, decodedHeaders, decodedText, emlFilename, messageParts, partAt, partFilename } from './message-parts.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'eml', name));

describe('message parts', () => {
  it('separates the displayed body from attachments and inline images', async () => {
    const raw = fixture('mixed-attachments.eml');
    const { root } = await analyzeMessage(raw);
    const parts = messageParts(root);
    expect(parts.text?.path).toBe('1');
    expect(decodedText(raw, parts.text!.part).trim()).toBe('Two files attached.');
    expect(parts.html).toBeNull();
    expect(parts.attachments.map((item) => [item.path, item.part.filename, item.part.id])).toEqual([
      ['2', 'dot.png', '<dot@example.com>'],
      ['3', 'data.uu', null],
    ]);
    expect(decodedBytes(raw, partAt(root, '2')!).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  it('picks plain and HTML from an alternative', async () => {
    const raw = fixture('alternative.eml');
    const parts = messageParts((await analyzeMessage(raw)).root);
    expect(parts.text?.part.subtype).toBe('plain');
    expect(parts.html?.part.subtype).toBe('html');
    expect(parts.attachments).toEqual([]);
  });

  it('offers an encapsulated message as one attachment', async () => {
    const raw = fixture('nested-rfc822.eml');
    const parts = messageParts((await analyzeMessage(raw)).root);
    expect(parts.attachments.some((item) => item.part.type === 'message' && item.part.subtype === 'rfc822')).toBe(true);
  });

  it('refuses part paths that name nothing or a container', async () => {
    const { root } = await analyzeMessage(fixture('mixed-attachments.eml'));
    expect(partAt(root, '9')).toBeNull();
    expect(partAt(root, '0')).toBeNull();
    expect(partAt(root, '1.x')).toBeNull();
    expect(partAt(root, '../1')).toBeNull();
    expect(partAt(root, '1')?.type).toBe('text');
  });

  it('decodes header fields keeping their names as written', async () => {
    const raw = Buffer.from('Subject: =?utf-8?B?w6ljaGVj?=\r\nX-Custom: a\r\n\r\nbody');
    expect(decodedHeaders(raw, (await analyzeMessage(raw)).root)).toEqual([
      { name: 'Subject', value: 'échec' },
      { name: 'X-Custom', value: 'a' },
    ]);
  });

  it('names the unnamed parts of a bounce: the delivery status and the returned message', async () => {
    const raw = fixture('delivery-status.eml');
    const { root } = await analyzeMessage(raw);
    const parts = messageParts(root);
    expect(parts.attachments.map((item) => [item.path, `${item.part.type}/${item.part.subtype}`, partFilename(item.part)])).toEqual([
      ['2', 'message/delivery-status', 'delivery-status.txt'],
      ['3', 'message/rfc822', 'message.eml'],
    ]);
  });

  it('makes a file name of a subject', () => {
    expect(emlFilename('Re: Q3 report / final?')).toBe('Re_ Q3 report _ final_.eml');
    expect(emlFilename('')).toBe('message.eml');
    expect(emlFilename('..\u0000hidden')).toBe('_hidden.eml');
    expect(emlFilename('会议\r\n通知')).toBe('会议 通知.eml');
  });
});
