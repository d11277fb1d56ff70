import { describe, expect, it } from 'vitest';
import { scoredMessage, scoreMessage } from './spam-rules.js';

const clean = {
  'Message-ID': '<1@a.example>',
  Date: 'Sun, 29 Nov 2026 10:00:00 +0000',
  From: 'Ann <ann@a.example>',
  Subject: 'Meeting notes',
  'Authentication-Results': 'mx.example; spf=pass smtp.mailfrom=a.example; dkim=pass header.d=a.example; dmarc=pass',
};

describe('anti-spam rules', () => {
  it('scores an ordinary authenticated message zero', () => {
    expect(scoreMessage(scoredMessage(clean, Buffer.from('Subject: Meeting notes\r\n\r\nSee you at ten.\r\n')))).toEqual({
      score: 0,
      matched: [],
    });
  });

  it('adds up authentication failures, missing fields, capitals, spoofed names and phrases', () => {
    const headers = {
      From: '"support@bank.example" <x@evil.example>',
      Subject: 'YOU HAVE WON THE LOTTERY',
      'Authentication-Results': 'mx.example; spf=fail smtp.mailfrom=evil.example; dkim=none; dmarc=fail',
    };
    const verdict = scoreMessage(
      scoredMessage(headers, Buffer.from('Subject: YOU HAVE WON THE LOTTERY\r\n\r\nClick here, 100% free!\r\n')),
    );
    expect(verdict.matched).toEqual([
      'dmarc_fail(4)',
      'spf_fail(3)',
      'missing_message_id(1)',
      'missing_date(1)',
      'subject_all_caps(2)',
      'display_name_spoofs_address(3)',
      'spam_phrases(6)',
    ]);
    expect(verdict.score).toBe(20);
  });

  it('reads Chinese spam phrases', () => {
    const verdict = scoreMessage(scoredMessage(clean, Buffer.from('Subject: =?UTF-8?B?5YWN6LS5?=\r\n\r\n代开发票，免费咨询\r\n', 'utf8')));
    expect(verdict.matched).toEqual(['spam_phrases(6)']);
  });
});
