// Component tests without a DOM: React's server renderer shows what each component puts on the page.
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageSummary } from '../api/types.js';
import { I18nContext, translator, type Language } from '../i18n/i18n.js';
import { mailboxRows } from '../logic/mailbox-tree.js';
import { FolderTree } from './folder-tree.js';
import { LoginForm } from './login-form.js';
import { MessageList } from './message-list.js';
import { ReadingPane } from './reading-pane.js';

function render(element: ReactElement, language: Language = 'en'): string {
  const i18n = { language, t: translator(language), setLanguage: () => undefined };
  return renderToStaticMarkup(createElement(I18nContext.Provider, { value: i18n }, element));
}

const noop = () => undefined;

const summary: MessageSummary = {
  id: '7',
  mailboxId: '1',
  threadId: 't1',
  subject: 'Budget <draft>',
  from: { name: 'Carol', address: 'carol@x.example' },
  to: [{ name: 'Dan', address: 'dan@x.example' }],
  date: '2026-11-29T10:00:00Z',
  seen: false,
  flagged: true,
  answered: true,
  hasAttachments: true,
  preview: 'Numbers inside',
  size: 100,
};

describe('LoginForm', () => {
  it('uses the field types and autocomplete names password managers look for', () => {
    const html = render(createElement(LoginForm, { notice: null, onSignedIn: noop }));
    const input = (name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? '';
    expect(input('email')).toContain('type="email"');
    expect(input('email')).toMatch(/autocomplete="username"/i);
    expect(input('password')).toContain('type="password"');
    expect(input('password')).toMatch(/autocomplete="current-password"/i);
    expect(html).toContain('<button type="submit" class="primary">Sign in</button>');
  });
});

describe('MessageList', () => {
  const props = {
    rows: [summary],
    loading: false,
    selection: new Set<string>(),
    focus: 0,
    openId: null,
    showRecipient: false,
    emptyText: 'empty',
    onOpen: noop,
    onToggleSelect: noop,
    onToggleFlag: noop,
    dragIds: () => [],
  };

  it('shows sender, escaped subject, preview, unread, flag, answered and attachment marks', () => {
    const html = render(createElement(MessageList, props));
    expect(html).toContain('class="message-row unread cursor"');
    expect(html).toContain('<span class="sender">Carol</span>');
    expect(html).toContain('Budget &lt;draft&gt;');
    expect(html).toContain('Numbers inside');
    expect(html).toContain('aria-pressed="true"');
    expect(html).toContain('aria-label="Answered"');
    expect(html).toContain('class="attachment-mark"');
  });

  it('shows recipients in Sent and Drafts, and the empty text without rows', () => {
    expect(render(createElement(MessageList, { ...props, showRecipient: true }))).toContain('<span class="sender">To: Dan</span>');
    expect(render(createElement(MessageList, { ...props, rows: [] }))).toBe('<p class="list-empty">empty</p>');
  });
});

describe('FolderTree', () => {
  it('names special folders in the interface language and shows unread counts', () => {
    const rows = mailboxRows([
      { id: '1', name: 'INBOX', path: 'INBOX', parentId: null, specialUse: null, unreadCount: 3, totalCount: 9 },
      { id: '2', name: 'Sent', path: 'Sent', parentId: null, specialUse: '\\Sent', unreadCount: 0, totalCount: 1 },
      { id: '3', name: '项目', path: '项目', parentId: null, specialUse: null, unreadCount: 0, totalCount: 0 },
    ]);
    const html = render(
      createElement(FolderTree, {
        rows,
        currentId: '1',
        onSelect: noop,
        onDropMessages: noop,
        onCreate: noop,
        onRename: noop,
        onDelete: noop,
        onMarkRead: noop,
        onEmptyTrash: noop,
      }),
      'zh-CN',
    );
    expect(html).toContain('<span class="folder-name">收件箱</span><span class="count" aria-label="3 未读">3</span>');
    expect(html).toContain('<span class="folder-name">已发送</span>');
    expect(html).toContain('<span class="folder-name">项目</span>');
    expect(html).toContain('aria-current="page"');
  });
});

describe('ReadingPane', () => {
  const message: MessageDetail = {
    ...summary,
    cc: [],
    bcc: [],
    inReplyTo: null,
    replyTo: [],
    text: 'plain',
    messageId: '<m@x>',
    references: [],
    html: '<p>Hello</p><img data-remote-src="http://tracker.example/p.gif">',
    attachments: [
      { id: '7:2', filename: 'q3.csv', contentType: 'text/csv', size: 2048, contentId: null, url: '/api/webmail/messages/7/attachments/2' },
    ],
  };
  const props = {
    isTrash: false,
    isDrafts: false,
    onBack: noop,
    onReply: noop,
    onDelete: noop,
    onToggleFlag: noop,
    onMarkUnread: noop,
    onShowImages: noop,
  };

  it('shows the body in a frame sandboxed without scripts, the remote-image notice and the attachments', () => {
    const html = render(createElement(ReadingPane, { ...props, open: { state: 'shown', message, remoteImages: false } }));
    const sandbox = /<iframe[^>]*sandbox="([^"]*)"/.exec(html)?.[1];
    expect(sandbox).toBe('allow-same-origin allow-popups allow-popups-to-escape-sandbox');
    expect(html).toContain('Remote images are blocked');
    expect(html).toContain('<span class="filename">q3.csv</span> <span class="size">2 KB</span>');
    expect(html).toContain('Content-Security-Policy');
  });

  it('lists inline parts that are not raster images as attachments, and keeps raster ones in the body', () => {
    const part = (id: string, filename: string, contentType: string) => ({
      id: `7:${id}`,
      filename,
      contentType,
      size: 10,
      contentId: `${id}@x`,
      url: `/api/webmail/messages/7/attachments/${id}`,
    });
    const attachments = [
      part('2', 'page.html', 'text/html'),
      part('3', 'drawing.svg', 'image/svg+xml'),
      part('4', 'logo.png', 'image/png'),
    ];
    const html = `<p>Hi</p>${attachments.map((attachment) => `<img src="${attachment.url}">`).join('')}`;
    const pane = render(
      createElement(ReadingPane, { ...props, open: { state: 'shown', message: { ...message, html, attachments }, remoteImages: false } }),
    );
    const listed = [...pane.matchAll(/<span class="filename">([^<]*)<\/span>/g)].map((match) => match[1]);
    expect(listed).toEqual(['page.html', 'drawing.svg']);
  });

  it('drops the notice once remote images are allowed, and offers Delete for good in Trash', () => {
    const html = render(createElement(ReadingPane, { ...props, isTrash: true, open: { state: 'shown', message, remoteImages: true } }));
    expect(html).not.toContain('Remote images are blocked');
    expect(html).toContain('Delete for good');
  });
});
