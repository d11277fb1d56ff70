import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/graphql-client.js';
import { mailApi } from '../api/mail-api.js';
import { subscribeMailEvents } from '../api/mail-events.js';
import { loadSettings, type MailSettings } from '../api/settings-api.js';
import type { Account, Mailbox, MessageDetail, MessagePage, MessageSort } from '../api/types.js';
import { useI18n, type Language } from '../i18n/i18n.js';
import { loadContacts, mergeContacts, saveContacts } from '../logic/contacts.js';
import { mailboxRole, mailboxRows, findByRole } from '../logic/mailbox-tree.js';
import { groupConversations } from '../logic/conversations.js';
import { composeFrom, editDraft, EMPTY_DRAFT, type ComposeDraft, type ComposeMode } from '../logic/reply.js';
import { parseRoute, routeHash, type Route } from '../logic/route.js';
import { shortcutFor, type ShortcutAction } from '../logic/shortcuts.js';
import type { WebSession } from '../logic/session-store.js';
import { formatFullDate, setDisplayTimeZone } from '../logic/format.js';
import { Compose } from './compose.js';
import { FolderTree } from './folder-tree.js';
import { LanguageSwitch } from './language-switch.js';
import { MessageList } from './message-list.js';
import { ListToolbar } from './list-toolbar.js';
import { ReadingPane } from './reading-pane.js';
import { ShortcutHelp } from './shortcut-help.js';
import { Icon } from './icon.js';
import { SettingsPage } from './settings/settings-page.js';
import { SECURITY_HASH, useSecurityText } from './security/index.js';

const PAGE_SIZE = 50;

type OpenMessage =
  | { state: 'none' }
  | { state: 'loading'; id: string }
  | { state: 'missing'; id: string }
  | { state: 'shown'; message: MessageDetail; remoteImages: boolean };

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}

/** The signed-in mail view: folders, list, reading pane, compose; state in the URL hash where it matters. */
export function MailApp({ session, onSignedOut }: { session: WebSession; onSignedOut: (expired: boolean) => void }) {
  const { t, language, setLanguage } = useI18n();
  const securityText = useSecurityText();
  const api = useMemo(() => mailApi(), []);
  // The folders of the last visit, so the Inbox list can load at once, alongside the fresh folder list.
  const cacheKey = `mailhive.mailboxes.${session.account.id}`;
  const [mailboxesFresh, setMailboxesFresh] = useState(false);
  const [mailboxes, setMailboxes] = useState<Mailbox[]>(() => {
    try {
      return JSON.parse(localStorage.getItem(cacheKey) ?? '[]') as Mailbox[];
    } catch {
      return [];
    }
  });
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [query, setQuery] = useState('');
  const [searchText, setSearchText] = useState('');
  const [sort, setSort] = useState<MessageSort>('DATE_DESC');
  const listKey = `${route.mailboxId}\n${query}\n${sort}`;
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({ key: listKey, cursors: [null] });
  const cursors = paging.key === listKey ? paging.cursors : [null];
  const [page, setPage] = useState<MessagePage | null>(null);
  const [loading, setLoading] = useState(false);
  const [listTick, setListTick] = useState(0);
  const [selection, setSelection] = useState<ReadonlySet<string>>(new Set());
  const [focus, setFocus] = useState(0);
  const [open, setOpen] = useState<OpenMessage>({ state: 'none' });
  const [compose, setCompose] = useState<ComposeDraft | null>(null);
  const [toast, setToast] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const [drawer, setDrawer] = useState(false);
  const [contacts, setContacts] = useState(() => loadContacts(localStorage));
  const searchRef = useRef<HTMLInputElement>(null);
  const [account, setAccount] = useState<Account>(session.account);
  const [settings, setSettings] = useState<MailSettings | null>(null);
  /** Settings take effect at once: the time zone before the next render formats a date with it. */
  const applySettings = useCallback((next: MailSettings) => {
    setDisplayTimeZone(next.timeZone);
    setSettings(next);
  }, []);

  const fail = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') onSignedOut(true);
      else setToast(t('actionFailed', { reason: error instanceof Error ? error.message : String(error) }));
    },
    [onSignedOut, t],
  );

  const navigate = useCallback((next: Route, replace = false) => {
    const hash = routeHash(next);
    if (replace) history.replaceState(null, '', hash);
    else if (location.hash !== hash) history.pushState(null, '', hash);
    setRoute(next);
  }, []);

  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    window.addEventListener('popstate', follow);
    window.addEventListener('hashchange', follow);
    return () => {
      window.removeEventListener('popstate', follow);
      window.removeEventListener('hashchange', follow);
    };
  }, []);

  const refreshMailboxes = useCallback(
    () =>
      api
        .mailboxes()
        .then((list) => {
          setMailboxes(list);
          setMailboxesFresh(true);
          try {
            localStorage.setItem(cacheKey, JSON.stringify(list));
          } catch {
            /* storage full: no cache */
          }
        })
        .catch(fail),
    [api, fail, cacheKey],
  );
  useEffect(() => {
    void refreshMailboxes();
  }, [refreshMailboxes]);

  // The user's settings follow them from browser to browser; a language saved there wins over this browser's.
  useEffect(() => {
    loadSettings()
      .then((loaded) => {
        applySettings(loaded);
        if (loaded.language) setLanguage(loaded.language as Language);
      })
      .catch(fail);
  }, [applySettings, setLanguage, fail]);

  // Without a folder in the URL (first visit, after sign-in), or with one that no longer exists, open the Inbox.
  useEffect(() => {
    if (mailboxes.length === 0 || route.settings != null) return;
    if (route.mailboxId && (!mailboxesFresh || mailboxes.some((mailbox) => mailbox.id === route.mailboxId))) return;
    const inbox = findByRole(mailboxes, 'inbox') ?? mailboxes[0];
    navigate({ mailboxId: inbox.id, messageId: null }, true);
  }, [route.mailboxId, route.settings, mailboxes, mailboxesFresh, navigate]);

  const currentMailbox = mailboxes.find((mailbox) => mailbox.id === route.mailboxId) ?? null;
  const after = cursors[cursors.length - 1];

  useEffect(() => {
    if (!route.mailboxId) return;
    let current = true;
    setLoading(true);
    api
      .messages({ mailboxId: route.mailboxId, first: PAGE_SIZE, after, query, sort })
      .then((result) => {
        if (!current) return;
        setPage(result);
        setLoading(false);
        const seen = result.nodes.flatMap((node) => [...(node.from ? [node.from] : []), ...node.to]);
        setContacts((known) => mergeContacts(known, seen));
      })
      .catch((error: unknown) => {
        if (current) {
          setLoading(false);
          fail(error);
        }
      });
    return () => {
      current = false;
    };
  }, [api, route.mailboxId, after, query, sort, listTick, fail]);

  useEffect(() => {
    saveContacts(localStorage, contacts);
  }, [contacts]);

  // A new folder, search or page starts with nothing selected and the cursor on the first row.
  useEffect(() => {
    setSelection(new Set());
    setFocus(0);
  }, [listKey, after]);

  const pageRows = useMemo(() => page?.nodes ?? [], [page]);
  const conversationView = settings?.conversationView ?? false;
  const conversations = useMemo(() => (conversationView ? groupConversations(pageRows) : null), [conversationView, pageRows]);
  // With conversations, the list shows each by its newest message; actions and the keyboard work on those rows.
  const rows = useMemo(() => conversations?.map((conversation) => conversation.messages[0]) ?? pageRows, [conversations, pageRows]);
  const conversationSizes = useMemo(
    () =>
      conversations ? new Map(conversations.map((conversation) => [conversation.messages[0].id, conversation.messages.length])) : undefined,
    [conversations],
  );

  const patchRows = useCallback((ids: readonly string[], patch: { seen?: boolean; flagged?: boolean }) => {
    const wanted = new Set(ids);
    setPage(
      (previous) => previous && { ...previous, nodes: previous.nodes.map((node) => (wanted.has(node.id) ? { ...node, ...patch } : node)) },
    );
    setOpen((previous) =>
      previous.state === 'shown' && wanted.has(previous.message.id)
        ? { ...previous, message: { ...previous.message, ...patch } }
        : previous,
    );
  }, []);

  // The open message: fetched when the URL names one, marked read when shown.
  const loadMessage = useCallback(
    async (id: string, remoteImages: boolean) => {
      try {
        const message = await api.message(id, remoteImages);
        if (!message) return setOpen({ state: 'missing', id });
        setOpen({ state: 'shown', message, remoteImages });
        setContacts((known) => mergeContacts(known, [...(message.from ? [message.from] : []), ...message.to, ...message.cc]));
        if (!message.seen) {
          patchRows([id], { seen: true });
          await api.setFlags({ ids: [id], seen: true });
          void refreshMailboxes();
        }
      } catch (error) {
        fail(error);
      }
    },
    [api, fail, patchRows, refreshMailboxes],
  );

  useEffect(() => {
    if (!route.messageId) return setOpen({ state: 'none' });
    setOpen({ state: 'loading', id: route.messageId });
    void loadMessage(route.messageId, false);
  }, [route.messageId, loadMessage]);

  const reloadList = useCallback(() => setListTick((tick) => tick + 1), []);

  // Live updates: every change to the user's mail refreshes the counts, and the list when it is the shown folder.
  const routeRef = useRef(route);
  routeRef.current = route;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let listToo = false;
    const schedule = (list: boolean) => {
      listToo ||= list;
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void refreshMailboxes();
        if (listToo) reloadList();
        listToo = false;
      }, 150);
    };
    const stop = subscribeMailEvents(
      (event) => {
        // The open message went away (moved, deleted, a draft replaced or sent elsewhere): back to the list.
        const shown = routeRef.current;
        if (event.type === 'MESSAGE_REMOVED' && event.messageId !== null && event.messageId === shown.messageId) {
          navigate({ mailboxId: shown.mailboxId, messageId: null }, true);
        }
        schedule(event.mailboxId === shown.mailboxId && event.type !== 'MAILBOX_CHANGED');
      },
      () => schedule(true),
    );
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [refreshMailboxes, reloadList, navigate]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 4000);
    return () => clearTimeout(timer);
  }, [toast]);

  const openMessageId = open.state === 'shown' ? open.message.id : route.messageId;
  /** What an action applies to: the selected messages, else the open one, else the row under the cursor. */
  const targets = useCallback((): string[] => {
    if (selection.size > 0) return [...selection];
    if (openMessageId) return [openMessageId];
    return rows[focus] ? [rows[focus].id] : [];
  }, [selection, openMessageId, rows, focus]);

  const afterRemoval = useCallback(
    (ids: readonly string[]) => {
      setSelection(new Set());
      if (route.messageId && ids.includes(route.messageId)) navigate({ mailboxId: route.mailboxId, messageId: null }, true);
      reloadList();
      void refreshMailboxes();
    },
    [navigate, route, reloadList, refreshMailboxes],
  );

  const actions = useMemo(
    () => ({
      setSeen: async (seen: boolean, ids = targets()) => {
        if (ids.length === 0) return;
        patchRows(ids, { seen });
        try {
          await api.setFlags({ ids, seen });
          void refreshMailboxes();
        } catch (error) {
          fail(error);
          reloadList();
        }
      },
      toggleFlag: async (ids = targets()) => {
        if (ids.length === 0) return;
        const flagged = !ids.every(
          (id) => rows.find((row) => row.id === id)?.flagged ?? (open.state === 'shown' && open.message.id === id && open.message.flagged),
        );
        patchRows(ids, { flagged });
        try {
          await api.setFlags({ ids, flagged });
        } catch (error) {
          fail(error);
          reloadList();
        }
      },
      move: async (mailboxId: string, ids = targets()) => {
        if (ids.length === 0 || mailboxId === route.mailboxId) return;
        try {
          await api.move(ids, mailboxId);
          setToast(t('moved', { count: ids.length }));
          afterRemoval(ids);
        } catch (error) {
          fail(error);
        }
      },
      remove: async (ids = targets()) => {
        if (ids.length === 0) return;
        try {
          const count = await api.remove(ids);
          setToast(t('deleted', { count }));
          afterRemoval(ids);
        } catch (error) {
          fail(error);
        }
      },
    }),
    [targets, patchRows, api, refreshMailboxes, fail, reloadList, rows, open, route.mailboxId, t, afterRemoval],
  );

  const folderActions = useMemo(
    () => ({
      create: async () => {
        const name = prompt(t('folderName'))?.trim();
        if (!name) return;
        try {
          await api.createMailbox(name, null);
          await refreshMailboxes();
        } catch (error) {
          fail(error);
        }
      },
      rename: async (mailbox: Mailbox) => {
        const name = prompt(t('folderName'), mailbox.name)?.trim();
        if (!name || name === mailbox.name) return;
        try {
          await api.renameMailbox(mailbox.id, name);
          await refreshMailboxes();
        } catch (error) {
          fail(error);
        }
      },
      remove: async (mailbox: Mailbox) => {
        if (!confirm(t('confirmDeleteFolder', { name: mailbox.name }))) return;
        try {
          await api.deleteMailbox(mailbox.id);
          if (route.mailboxId === mailbox.id) navigate({ mailboxId: null, messageId: null }, true);
          await refreshMailboxes();
        } catch (error) {
          fail(error);
        }
      },
      markRead: async (mailbox: Mailbox) => {
        try {
          await api.markMailboxRead(mailbox.id);
          await refreshMailboxes();
          reloadList();
        } catch (error) {
          fail(error);
        }
      },
      emptyTrash: async (mailbox: Mailbox) => {
        if (!confirm(t('confirmEmptyTrash', { count: mailbox.totalCount }))) return;
        try {
          // Messages already in Trash are deleted for good by deleteMessages; take them a page at a time.
          for (;;) {
            const batch = await api.messages({ mailboxId: mailbox.id, first: 200, after: null, query: '', sort: 'ARRIVAL_ASC' });
            if (batch.nodes.length === 0) break;
            await api.remove(batch.nodes.map((node) => node.id));
          }
          afterRemoval(route.messageId ? [route.messageId] : []);
        } catch (error) {
          fail(error);
        }
      },
    }),
    [api, refreshMailboxes, fail, t, route, navigate, reloadList, afterRemoval],
  );

  const startCompose = useCallback(
    (mode: ComposeMode) => {
      if (mode === 'new') return setCompose({ ...EMPTY_DRAFT });
      if (open.state !== 'shown') return;
      if (mode === 'draft') return setCompose(editDraft(open.message));
      setCompose(
        composeFrom(open.message, mode, session.account.address, {
          wrote: (date, sender) => t('wrote', { date, sender }),
          forwarded: t('forwardedMessage'),
          formatDate: (iso) => formatFullDate(iso, language),
          labels: { from: t('from'), date: t('date'), subject: t('subject'), to: t('to') },
        }),
      );
    },
    [open, session.account.address, t, language],
  );

  const openRow = useCallback(
    (id: string) => {
      navigate({ mailboxId: route.mailboxId, messageId: id });
    },
    [navigate, route.mailboxId],
  );

  const backToList = useCallback(() => {
    if (!route.messageId) return;
    navigate({ mailboxId: route.mailboxId, messageId: null });
  }, [navigate, route]);

  const toggleSelect = useCallback((id: string) => {
    setSelection((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const runShortcut = (action: ShortcutAction) => {
    const moveFocus = (delta: number) => {
      const next = Math.min(Math.max(focus + delta, 0), rows.length - 1);
      setFocus(next);
      // With a message open, j/k walk through messages like a reader would.
      if (route.messageId && rows[next]) navigate({ mailboxId: route.mailboxId, messageId: rows[next].id }, true);
    };
    switch (action) {
      case 'next':
        return moveFocus(1);
      case 'previous':
        return moveFocus(-1);
      case 'open':
        return rows[focus] && openRow(rows[focus].id);
      case 'back':
        return help ? setHelp(false) : drawer ? setDrawer(false) : backToList();
      case 'compose':
        return startCompose('new');
      case 'reply':
        return startCompose('reply');
      case 'replyAll':
        return startCompose('replyAll');
      case 'forward':
        return startCompose('forward');
      case 'delete':
        return void actions.remove();
      case 'flag':
        return void actions.toggleFlag();
      case 'markRead':
        return void actions.setSeen(true);
      case 'markUnread':
        return void actions.setSeen(false);
      case 'select':
        return rows[focus] && toggleSelect(rows[focus].id);
      case 'search':
        return searchRef.current?.focus();
      case 'help':
        return setHelp((shown) => !shown);
      case 'refresh':
        reloadList();
        void refreshMailboxes();
        return;
    }
  };
  const settingsOpenRef = useRef(false);
  settingsOpenRef.current = route.settings != null;
  const shortcutRef = useRef(runShortcut);
  shortcutRef.current = runShortcut;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (compose || settingsOpenRef.current || isTyping(event.target) || event.defaultPrevented) return;
      // Enter and arrows keep their meaning on buttons and links that have the focus.
      const onControl = event.target instanceof HTMLElement && ['BUTTON', 'A'].includes(event.target.tagName);
      if (onControl && ['Enter', ' ', 'ArrowUp', 'ArrowDown'].includes(event.key)) return;
      const action = shortcutFor(event);
      if (!action) return;
      event.preventDefault();
      shortcutRef.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [compose]);

  const signOut = async () => {
    try {
      await api.logout();
    } catch {
      /* the session is dropped locally either way */
    }
    onSignedOut(false);
  };

  // Unread mail in the Inbox shows in the tab title, so it is seen from other tabs too.
  const inboxUnread = findByRole(mailboxes, 'inbox')?.unreadCount ?? 0;
  useEffect(() => {
    document.title = inboxUnread > 0 ? `(${inboxUnread}) ${t('appName')}` : t('appName');
  }, [inboxUnread, t]);

  const role = currentMailbox ? mailboxRole(currentMailbox) : 'folder';
  const treeRows = useMemo(() => mailboxRows(mailboxes, language), [mailboxes, language]);
  const senders = useMemo(
    () =>
      (settings?.sendableAddresses ?? []).map((address) => {
        const identity = settings?.identities.find((entry) => entry.address === address);
        const signature = settings?.signatures.find((entry) => entry.id === identity?.signatureId)?.text ?? '';
        return { address, name: identity?.name || account.displayName, signature };
      }),
    [settings, account.displayName],
  );
  const messageShown = route.messageId !== null;
  const settingsOpen = route.settings != null;
  const classes = [
    'mail',
    messageShown && 'message-open',
    drawer && 'drawer-open',
    settingsOpen && 'settings-open',
    settings?.density === 'COMPACT' && 'density-compact',
    settings?.readingPane === 'OFF' && 'pane-off',
  ];
  const lastFolder = useRef<string | null>(null);
  if (route.mailboxId) lastFolder.current = route.mailboxId;

  return (
    <div className={classes.filter(Boolean).join(' ')}>
      <header className="topbar">
        <button
          type="button"
          className="icon menu-button"
          aria-label={t('menu')}
          aria-expanded={drawer}
          onClick={() => setDrawer((shown) => !shown)}
        >
          ☰
        </button>
        <span className="brand">
          <span aria-hidden="true">✉</span> {t('appName')}
        </span>
        <form
          className="search"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            setQuery(searchText);
          }}
        >
          <input
            ref={searchRef}
            type="search"
            name="q"
            value={searchText}
            placeholder={t('search')}
            title={t('searchHelp')}
            aria-label={t('search')}
            onChange={(event) => {
              setSearchText(event.target.value);
              if (!event.target.value) setQuery('');
            }}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                setSearchText('');
                setQuery('');
                event.currentTarget.blur();
              }
            }}
          />
        </form>
        <div className="account">
          <LanguageSwitch />
          <span className="who" title={account.address}>
            {account.displayName || account.address}
          </span>
          <button
            type="button"
            className="icon settings-button"
            aria-label={t('settings')}
            title={t('settings')}
            onClick={() => {
              setDrawer(false);
              navigate({ mailboxId: null, messageId: null, settings: 'profile' });
            }}
          >
            <Icon name="settings" />
          </button>
          <a className="link-button" href={SECURITY_HASH}>
            {securityText('security')}
          </a>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <nav className="sidebar" aria-label={t('folders')}>
        <button
          type="button"
          className="primary compose-button"
          onClick={() => {
            setDrawer(false);
            startCompose('new');
          }}
        >
          <Icon name="compose" /> {t('compose')}
        </button>
        <FolderTree
          rows={treeRows}
          currentId={route.mailboxId}
          onSelect={(id) => {
            setDrawer(false);
            setSearchText('');
            setQuery('');
            navigate({ mailboxId: id, messageId: null });
          }}
          onDropMessages={(ids, mailboxId) => void actions.move(mailboxId, ids)}
          onCreate={() => void folderActions.create()}
          onRename={(mailbox) => void folderActions.rename(mailbox)}
          onDelete={(mailbox) => void folderActions.remove(mailbox)}
          onMarkRead={(mailbox) => void folderActions.markRead(mailbox)}
          onEmptyTrash={(mailbox) => void folderActions.emptyTrash(mailbox)}
        />
      </nav>
      <div className="scrim" onClick={() => setDrawer(false)} aria-hidden="true" />
      {settings && settingsOpen ? (
        <SettingsPage
          section={route.settings ?? ''}
          onSection={(id) => navigate({ mailboxId: null, messageId: null, settings: id })}
          onClose={() => navigate({ mailboxId: lastFolder.current, messageId: null })}
          account={account}
          settings={settings}
          onSettings={applySettings}
          onAccount={setAccount}
          onError={fail}
        />
      ) : (
        <>
          <section className="list-pane" aria-label={currentMailbox?.name ?? ''}>
            <ListToolbar
              mailboxes={treeRows}
              currentId={route.mailboxId}
              rows={rows}
              selection={selection}
              page={page}
              pageIndex={cursors.length - 1}
              pageSize={PAGE_SIZE}
              sort={sort}
              query={query}
              onSelectAll={(all) => setSelection(all ? new Set(rows.map((row) => row.id)) : new Set())}
              onSeen={(seen) => void actions.setSeen(seen)}
              onFlag={() => void actions.toggleFlag()}
              onMove={(id) => void actions.move(id)}
              onDelete={() => void actions.remove()}
              isTrash={role === 'trash'}
              onRefresh={() => {
                reloadList();
                void refreshMailboxes();
              }}
              onSort={setSort}
              onClearSearch={() => {
                setSearchText('');
                setQuery('');
              }}
              onNewer={() => setPaging({ key: listKey, cursors: cursors.slice(0, -1) })}
              onOlder={() => page?.pageInfo.endCursor && setPaging({ key: listKey, cursors: [...cursors, page.pageInfo.endCursor] })}
            />
            <MessageList
              rows={rows}
              loading={loading && !page}
              selection={selection}
              focus={focus}
              openId={openMessageId}
              showRecipient={role === 'sent' || role === 'drafts'}
              emptyText={query ? t('noResults') : t('noMessages')}
              onOpen={(id, index) => {
                setFocus(index);
                openRow(id);
              }}
              onToggleSelect={toggleSelect}
              onToggleFlag={(id) => void actions.toggleFlag([id])}
              dragIds={(id) => (selection.has(id) ? [...selection] : [id])}
              conversationSizes={conversationSizes}
            />
          </section>
          <section className="reading-pane" aria-label={t('selectMessage')}>
            <ReadingPane
              open={open}
              isTrash={role === 'trash'}
              isDrafts={role === 'drafts'}
              onBack={backToList}
              onReply={startCompose}
              onDelete={() => void actions.remove()}
              onToggleFlag={() => void actions.toggleFlag()}
              onMarkUnread={() => {
                void actions.setSeen(false);
                backToList();
              }}
              onShowImages={(id) => void loadMessage(id, true)}
              conversation={conversations
                ?.find((conversation) => conversation.messages.some((row) => row.id === openMessageId))
                ?.messages.filter((row) => row.id !== openMessageId)}
              onOpenMessage={openRow}
            />
          </section>
        </>
      )}
      <button
        type="button"
        className="primary fab-compose"
        aria-label={t('compose')}
        title={t('compose')}
        onClick={() => startCompose('new')}
      >
        <Icon name="compose" />
      </button>
      {compose && (
        <Compose
          initial={compose}
          senders={senders}
          api={api}
          contacts={contacts}
          onClose={() => setCompose(null)}
          onSent={() => {
            if (compose.draftId && compose.draftId === route.messageId) navigate({ mailboxId: route.mailboxId, messageId: null }, true);
            setCompose(null);
            setToast(t('messageSent'));
            void refreshMailboxes();
            if (role === 'sent' || role === 'drafts') reloadList();
          }}
          onDraftSaved={() => {
            void refreshMailboxes();
            if (role === 'drafts') reloadList();
          }}
          onError={fail}
        />
      )}
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      <div className="toast-area" role="status" aria-live="polite">
        {toast && <div className="toast">{toast}</div>}
      </div>
    </div>
  );
}
