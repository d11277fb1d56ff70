import { describe, expect, it } from 'vitest';
import { findLeak } from './leak-check.js';
import { stepDone } from './session-runner.js';

describe('fuzz reply checks', () => {
  it('finds stack frames, node internals and source paths in replies', () => {
    expect(findLeak('A1 BAD TypeError: x is undefined\r\n    at parse (file:///srv/mailhive/dist/core/imap/x.js:10:5)\r\n')?.name).toBe(
      'stack frame',
    );
    expect(findLeak('-ERR at Object.run (/opt/app/dist/core/pop3/a.js:1:2)\r\n')?.name).toBe('stack frame');
    expect(
      findLeak('451 Error: boom\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\r\n'),
    ).not.toBeNull();
    expect(findLeak('-ERR cannot open /usr/lib/node_modules/x\r\n')?.name).toBe('node internals');
    expect(findLeak('A2 NO ENOENT /work/wt/fuzz/data/blobs\r\n')?.name).toBe('source path');
    expect(findLeak('A3 NO open /tmp/mailhive-e2e-abc/spool failed\r\n', ['/tmp/mailhive-e2e-abc'])?.name).toBe('server path');
  });

  it('lets ordinary replies through, smtp-server\'s "Error:" texts included', () => {
    for (const reply of [
      '501 5.5.4 Error: Bad sender address syntax\r\n',
      '* OK [CAPABILITY IMAP4rev1] mail.test.example Mailhive IMAP ready\r\nA1 BAD Unexpected space\r\n',
      '+OK 2 messages (1234 octets)\r\n',
      '* 1 FETCH (BODY[] {12}\r\nat 10:00 ok\r\n)\r\n',
    ])
      expect(findLeak(reply), reply).toBeNull();
  });

  it('knows when each kind of answer is complete', () => {
    expect(stepDone({ kind: 'imap-tagged', tag: 'F1' }, '* 1 EXISTS\r\nF1 OK done\r\n')).toBe(true);
    expect(stepDone({ kind: 'imap-tagged', tag: 'F1' }, '* 1 EXISTS\r\nF10 OK done\r\n')).toBe(false);
    expect(stepDone({ kind: 'imap-tagged', tag: 'F1' }, 'F1 BAD no\r\n')).toBe(true);
    expect(stepDone({ kind: 'continuation' }, '+ Ready\r\n')).toBe(true);
    expect(stepDone({ kind: 'continuation' }, 'F2 NO [TOOBIG] too big\r\n')).toBe(true);
    expect(stepDone({ kind: 'pop3', multiline: true }, '+OK\r\n1 100\r\n')).toBe(false);
    expect(stepDone({ kind: 'pop3', multiline: true }, '+OK\r\n1 100\r\n.\r\n')).toBe(true);
    expect(stepDone({ kind: 'pop3', multiline: true }, '-ERR no such message\r\n')).toBe(true);
    expect(stepDone({ kind: 'smtp' }, '250-mail.test\r\n250-SIZE\r\n')).toBe(false);
    expect(stepDone({ kind: 'smtp' }, '250-mail.test\r\n250 SIZE\r\n')).toBe(true);
  });
});
