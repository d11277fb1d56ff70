import { describe, expect, it } from 'vitest';
import type { Mailbox, MessageDetail, MessageSummary } from '../api/types.js';
import { en, zhCN } from '../i18n/messages.js';
import { formatMessage, pickLanguage, translator } from '../i18n/i18n.js';
import { baseSubject, groupConversations } from './conversations.js';
import { formatAddress, parseAddressList, uniqueAddresses } from './addresses.js';
import { completeRecipient, currentEntry, mergeContacts, suggestContacts } from './contacts.js';
import { formatListDate, formatSize } from './format.js';
import { mailboxRows } from './mailbox-tree.js';
import { hasBlockedRemoteImages, messageCsp, messageDocument, replaceInlineSources, textToHtml } from './message-document.js';
import { composeFrom, editDraft, prefixedSubject } from './reply.js';
import { parseRoute, routeHash } from './route.js';
import { clearSession, csrfFromCookies } from './session-store.js';
import { shortcutFor } from './shortcuts.js';

function mailbox(id: string, path: string, extra: Partial<Mailbox> = {}): Mailbox {
  const name = path.split('/').at(-1) as string;
  return { id, name, path, parentId: null, specialUse: null, unreadCount: 0, totalCount: 0, ...extra };
}

describe('recipient lists', () => {
  it('parses names, quotes with commas, semicolons and bare addresses, and reports what is not an address', () => {
    const parsed = parseAddressList('Alice <alice@example.com>, "Li, Lei" <li@example.cn>; bob@example.org, not an address,');
    expect(parsed.addresses).toEqual([
      { name: 'Alice', address: 'alice@example.com' },
      { name: 'Li, Lei', address: 'li@example.cn' },
      { name: null, address: 'bob@example.org' },
    ]);
    expect(parsed.invalid).toEqual(['not an address']);
  });

  it('formats an address back so that it parses to the same thing', () => {
    const original = { name: 'Li, Lei', address: 'li@example.cn' };
    expect(formatAddress(original)).toBe('"Li, Lei" <li@example.cn>');
    expect(parseAddressList(formatAddress(original)).addresses).toEqual([original]);
  });

  it('drops duplicates case-insensitively and the excluded own address', () => {
    const list = uniqueAddresses(
      [
        { name: null, address: 'A@x.example' },
        { name: 'A', address: 'a@x.example' },
        { name: null, address: 'me@x.example' },
      ],
      ['ME@x.example'],
    );
    expect(list).toEqual([{ name: null, address: 'A@x.example' }]);
  });
});

describe('recipient autocomplete', () => {
  const contacts = mergeContacts(
    [],
    [
      { name: '王芳', address: 'wang.fang@example.cn' },
      { name: null, address: 'bob@example.org' },
    ],
  );
  it('suggests by name or address and completes only the entry being typed', () => {
    expect(suggestContacts(contacts, '王').map((c) => c.address)).toEqual(['wang.fang@example.cn']);
    expect(suggestContacts(contacts, ' ')).toEqual([]);
    expect(currentEntry('alice@x.example, bo')).toBe(' bo');
    expect(completeRecipient('alice@x.example, bo', contacts[1])).toBe('alice@x.example, bob@example.org, ');
  });
  it('keeps a name learnt later for a known address', () => {
    const merged = mergeContacts(contacts, [{ name: 'Bob B', address: 'BOB@example.org' }]);
    expect(merged.filter((c) => c.address.toLowerCase() === 'bob@example.org')).toHaveLength(1);
    expect(merged[0]).toEqual({ name: 'Bob B', address: 'BOB@example.org' });
  });
});

describe('folder tree', () => {
  it('puts special folders first in a fixed order, other folders by name, children after their parent', () => {
    const rows = mailboxRows([
      mailbox('7', 'Zeta'),
      mailbox('2', 'Trash', { specialUse: '\\Trash' }),
      mailbox('3', 'Alpha'),
      mailbox('4', 'Alpha/Child', { parentId: '3' }),
      mailbox('5', 'Sent Items', { specialUse: '\\Sent' }),
      mailbox('1', 'INBOX'),
      mailbox('6', 'Drafts', { specialUse: '\\Drafts' }),
      mailbox('8', 'Orphan/Lost', { parentId: '99' }),
    ]);
    expect(rows.map((row) => [row.mailbox.path, row.depth])).toEqual([
      ['INBOX', 0],
      ['Drafts', 0],
      ['Sent Items', 0],
      ['Trash', 0],
      ['Alpha', 0],
      ['Alpha/Child', 1],
      ['Orphan/Lost', 0],
      ['Zeta', 0],
    ]);
    expect(rows.map((row) => row.role).slice(0, 4)).toEqual(['inbox', 'drafts', 'sent', 'trash']);
  });
});

const original: MessageDetail = {
  id: '42',
  mailboxId: '1',
  threadId: 't42',
  subject: 'Re: RE: Budget',
  from: { name: 'Carol', address: 'carol@x.example' },
  to: [
    { name: null, address: 'me@x.example' },
    { name: 'Dan', address: 'dan@x.example' },
  ],
  cc: [{ name: null, address: 'erin@x.example' }],
  bcc: [],
  inReplyTo: null,
  replyTo: [],
  date: '2026-11-29T10:00:00Z',
  seen: true,
  flagged: false,
  answered: false,
  hasAttachments: false,
  preview: '',
  size: 1,
  text: 'Numbers:\n> earlier\nok',
  html: null,
  messageId: '<m2@x.example>',
  references: ['<m1@x.example>'],
  attachments: [],
};
const quoteText = {
  wrote: (date: string, sender: string) => `On ${date}, ${sender} wrote:`,
  forwarded: 'Forwarded message',
  formatDate: (iso: string) => iso.slice(0, 10),
  labels: { from: 'From', date: 'Date', subject: 'Subject', to: 'To' },
};

describe('reply and forward', () => {
  it('prefixes the subject once, whatever prefixes it had (also Chinese ones)', () => {
    expect(prefixedSubject('Re: RE: Budget', 'Re')).toBe('Re: Budget');
    expect(prefixedSubject('回复：预算', 'Re')).toBe('Re: 预算');
    expect(prefixedSubject('Fw: Budget', 'Fwd')).toBe('Fwd: Budget');
  });

  it('replies to the sender with the quote and the thread references', () => {
    const draft = composeFrom(original, 'reply', 'me@x.example', quoteText);
    expect(draft).toMatchObject({
      to: 'Carol <carol@x.example>',
      cc: '',
      subject: 'Re: Budget',
      inReplyTo: '<m2@x.example>',
      sourceId: '42',
    });
    expect(draft.references).toEqual(['<m1@x.example>', '<m2@x.example>']);
    expect(draft.body).toBe('\n\nOn 2026-11-29, Carol <carol@x.example> wrote:\n> Numbers:\n>> earlier\n> ok');
  });

  it('replies to all without the user, and to Reply-To when there is one', () => {
    const draft = composeFrom(
      { ...original, replyTo: [{ name: 'List', address: 'list@x.example' }] },
      'replyAll',
      'ME@x.example',
      quoteText,
    );
    expect(draft.to).toBe('List <list@x.example>');
    expect(draft.cc).toBe('Dan <dan@x.example>, erin@x.example');
  });

  it('reopens a draft with its recipients, text, thread and attachments', () => {
    const attachment = {
      id: '9:2',
      filename: 'a.pdf',
      contentType: 'application/pdf',
      size: 10,
      contentId: null,
      url: '/api/webmail/messages/9/attachments/2',
    };
    const draft = editDraft({
      ...original,
      id: '9',
      bcc: [{ name: null, address: 'boss@x.example' }],
      inReplyTo: '<m1@x.example>',
      attachments: [attachment],
    });
    expect(draft).toMatchObject({
      mode: 'draft',
      draftId: '9',
      to: 'me@x.example, Dan <dan@x.example>',
      bcc: 'boss@x.example',
      body: original.text,
      inReplyTo: '<m1@x.example>',
      sourceId: null,
    });
    expect(draft.carried).toEqual([attachment]);
  });

  it('forwards with the original headers and no recipients', () => {
    const draft = composeFrom(original, 'forward', 'me@x.example', quoteText);
    expect(draft).toMatchObject({ to: '', subject: 'Fwd: Budget', inReplyTo: null });
    expect(draft.body).toContain(
      '---------- Forwarded message ----------\nFrom: Carol <carol@x.example>\nDate: 2026-11-29\nSubject: Re: RE: Budget',
    );
  });
});

describe('message document for the sandboxed frame', () => {
  it('opens with a CSP that forbids scripts and remote loads, and allows remote images only when asked', () => {
    const doc = messageDocument('<p>hi</p>', { allowRemoteImages: false, lang: 'en' });
    expect(doc.indexOf('Content-Security-Policy')).toBeLessThan(doc.indexOf('<body>'));
    expect(messageCsp(false)).toContain("default-src 'none'");
    expect(messageCsp(false)).not.toMatch(/script-src|https:/);
    expect(messageCsp(true)).toContain('img-src data: blob: https: http:');
  });

  it('escapes plain text and links its web addresses', () => {
    expect(textToHtml('a <b> & https://example.com/x?a=1&b=2.')).toBe(
      '<div class="plain">a &lt;b&gt; &amp; <a href="https://example.com/x?a=1&amp;b=2">https://example.com/x?a=1&amp;b=2</a>.</div>',
    );
  });

  it('notices images the server held back and swaps inline part URLs for local ones', () => {
    expect(hasBlockedRemoteImages('<img data-remote-src="http://t.example/p.gif">')).toBe(true);
    expect(hasBlockedRemoteImages('<img src="data:image/png;base64,AA==">')).toBe(false);
    const html = '<img alt="logo" src="/api/webmail/messages/5/attachments/2"><img src="/other">';
    expect(replaceInlineSources(html, new Map([['/api/webmail/messages/5/attachments/2', 'blob:local/1']]))).toBe(
      '<img alt="logo" src="blob:local/1"><img src="/other">',
    );
  });
});

describe('keyboard shortcuts', () => {
  const key = (k: string, extra: Partial<{ shiftKey: boolean; ctrlKey: boolean }> = {}) =>
    shortcutFor({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...extra });
  it('maps single keys and leaves modified keys to the browser', () => {
    expect(key('j')).toBe('next');
    expect(key('#', { shiftKey: true })).toBe('delete');
    expect(key('I', { shiftKey: true })).toBe('markRead');
    expect(key('c', { ctrlKey: true })).toBeNull();
    expect(key('q')).toBeNull();
  });
});

describe('route, session and language', () => {
  it('round-trips folder and message in the hash', () => {
    const route = { mailboxId: '12', messageId: 'a/b' };
    expect(parseRoute(routeHash(route))).toEqual(route);
    expect(parseRoute('#/nonsense')).toEqual({ mailboxId: null, messageId: null });
  });

  it('reads the csrf value from document.cookie, and nothing else', () => {
    expect(csrfFromCookies('theme=dark; mailhive_csrf=abc-_1; other=x')).toBe('abc-_1');
    expect(csrfFromCookies('mailhive_csrf=')).toBeNull();
    expect(csrfFromCookies('xmailhive_csrf=abc; mailhive_session=secret')).toBeNull();
    expect(csrfFromCookies('')).toBeNull();
  });

  it('forgets what was kept for the session on sign-out, but not the language', () => {
    const data = new Map([
      ['mailhive.session', 's'],
      ['mailhive.contacts', '[]'],
      ['mailhive.mailboxes.1', '[]'],
      ['mailhive.language', 'zh-CN'],
      ['other', 'x'],
    ]);
    clearSession({
      get length() {
        return data.size;
      },
      key: (i: number) => [...data.keys()][i] ?? null,
      removeItem: (k: string) => void data.delete(k),
    });
    expect([...data.keys()]).toEqual(['mailhive.language', 'other']);
  });

  it('picks Chinese for any zh browser language, a saved choice first, English otherwise', () => {
    expect(pickLanguage(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLanguage(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLanguage('en', ['zh-CN'])).toBe('en');
    expect(pickLanguage(null, ['de'])).toBe('en');
  });

  it('has every string in Chinese, with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(zhCN[key], key).toBeTruthy();
      const placeholders = (text: string) => text.match(/\{\w+(?:\}|, plural,)/g)?.sort();
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
    expect(translator('zh-CN')('selected', { count: 3 })).toBe('已选 3 封');
  });

  it('chooses plural forms by the language rules, in every shipped language', () => {
    const english = translator('en');
    expect(english('moved', { count: 1 })).toBe('Moved 1 message.');
    expect(english('moved', { count: 3 })).toBe('Moved 3 messages.');
    expect(english('deleted', { count: 0 })).toBe('Deleted 0 messages.');
    expect(english('messagesCount', { count: 1200 })).toBe('1,200 messages');
    expect(english('confirmEmptyTrash', { count: 1 })).toBe('Delete the 1 message in Trash for good?');
    const chinese = translator('zh-CN');
    expect(chinese('moved', { count: 1 })).toBe('已移动 1 封邮件。');
    expect(chinese('moved', { count: 3 })).toBe('已移动 3 封邮件。');
    expect(formatMessage('{n, plural, =0 {none} one {# file} other {# files}} in {where}', { n: 0, where: 'Inbox' }, 'en')).toBe(
      'none in Inbox',
    );
    expect(formatMessage('{n, plural, =0 {none} one {# file} other {# files}} in {where}', { n: 2, where: 'Inbox' }, 'en')).toBe(
      '2 files in Inbox',
    );
  });

  it('formats sizes and list dates', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(30 * 1024 * 1024)).toBe('30 MB');
    const now = new Date('2026-11-29T15:00:00');
    expect(formatListDate('2026-11-29T09:05:00', 'en-GB', now)).toBe('09:05');
    expect(formatListDate('2025-03-01T09:05:00', 'en-GB', now)).toBe('1 Mar 2025');
  });

  it('groups a list into conversations by thread, then by reply subject, keeping the list order', () => {
    const row = (id: string, threadId: string, subject: string): MessageSummary => ({
      id,
      mailboxId: '1',
      threadId,
      subject,
      from: null,
      to: [],
      date: '2026-12-01T10:00:00Z',
      seen: true,
      flagged: false,
      answered: false,
      hasAttachments: false,
      preview: '',
      size: 1,
    });
    const groups = groupConversations([
      row('5', 'a', 'Re: Lunch'),
      row('4', 'b', 'Budget'),
      row('3', 'c', 'RE: lunch'), // no References: joins by its subject
      row('2', 'a', 'Lunch'),
      row('1', 'd', 'Lunch'), // a new message with the same subject is its own conversation
    ]);
    expect(groups.map((group) => group.messages.map((message) => message.id))).toEqual([['5', '3', '2'], ['4'], ['1']]);
    expect(baseSubject('Re: Fwd: 回复：Hello ')).toBe('hello');
  });
});
