import { describe, expect, it } from 'vitest';
import { messageEventLine } from './message-event.js';

describe('messageEventLine', () => {
  it('writes an intake line with every field, Postfix-style', () => {
    expect(
      messageEventLine({
        event: 'accepted',
        queueId: '9f86d081884c7d65',
        from: 'a@x.example',
        to: ['b@y.example', 'c@y.example'],
        size: 4120,
        messageId: '<m1@x.example>',
        client: '203.0.113.9',
        relay: 'local',
        delay: 0.0234,
        status: '250 stored 2, queued 0',
      }),
    ).toBe(
      '9f86d081884c7d65: from=<a@x.example>, to=<b@y.example>,<c@y.example>, size=4120, msgid=<m1@x.example>, ' +
        'client=203.0.113.9, relay=local, delay=0.02, status=accepted (250 stored 2, queued 0)',
    );
  });

  it('writes a refusal before any queue id, and the null sender as <>', () => {
    expect(messageEventLine({ event: 'refused', from: '', to: ['b@y.example'], client: '::1', status: '550 5.7.1 no' })).toBe(
      'NOQUEUE: from=<>, to=<b@y.example>, client=::1, status=refused (550 5.7.1 no)',
    );
  });

  it('brackets a bare Message-ID', () => {
    expect(messageEventLine({ event: 'sent', queueId: 'q', from: 'a@x', to: ['b@y'], messageId: 'id@x', relay: 'mx.y[192.0.2.1]' })).toBe(
      'q: from=<a@x>, to=<b@y>, msgid=<id@x>, relay=mx.y[192.0.2.1], status=sent',
    );
  });
});
