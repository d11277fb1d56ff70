import { definePlugin, PluginError } from '../../core/plugin-host/plugin-api.js';
import { DEFAULT_SETTINGS, SKIP_REASONS, parseSettings, replySubject, skipReason, type VacationSettings } from './vacation-rules.js';

const settingsKey = (address: string) => `settings:${address.toLowerCase()}`;

/**
 * Out-of-office replies (RFC 3834): each user sets dates, subject and text through the plugin's GraphQL fields;
 * a personal message in that time gets one reply per sender per `days`, sent through the submission path as the
 * user, with the null envelope sender and `Auto-Submitted: auto-replied`. Lists, bulk and automatic mail get none.
 */
export default definePlugin({
  name: 'vacation',
  description: 'out-of-office replies, once per sender per N days (RFC 3834)',
  failOpen: true,
  config: {
    days: { type: 'number', default: 7, min: 1, max: 365, help: 'a sender gets at most one reply in this many days' },
  },
  hooks: {
    'message.deliver': {
      // Late: a plugin that files the message as spam, rejects or discards it decides first, and then nobody is answered.
      priority: -50,
      handler: async ({ sender, recipient, headers }, plugin) => {
        const settings = await plugin.store.get<VacationSettings>(settingsKey(recipient));
        if (!settings?.enabled) return undefined;
        const reason = skipReason({ sender, recipient, headers }, settings, new Date());
        if (reason) {
          await plugin.store.increment(`skipped:${reason}`);
          return undefined;
        }
        const once = `replied:${recipient.toLowerCase()}:${sender.toLowerCase()}`;
        if (await plugin.store.get(once)) {
          await plugin.store.increment('skipped:already-replied');
          return undefined;
        }
        await plugin.store.set(once, Date.now(), { ttlSeconds: plugin.config.days * 86_400 });
        const messageId = headers['message-id'];
        // After the hook: the message being delivered is not held up by the reply's own delivery.
        plugin.schedule.after(0, async () => {
          const sent = await plugin.mail.send({
            as: recipient,
            from: recipient,
            to: [sender],
            subject: replySubject(settings, headers.subject),
            text: settings.body,
            headers: {
              'Auto-Submitted': 'auto-replied',
              ...(messageId ? { 'In-Reply-To': messageId, References: messageId } : {}),
            },
          });
          if (sent.ok) await plugin.store.increment('replies');
          else plugin.log.warn('vacation reply not sent', { recipient, sender, reason: sent.reason });
        });
        return undefined;
      },
    },
  },
  graphql: {
    queries: {
      stats: {
        description: 'replies sent and messages left unanswered, by reason (installation-wide counts, no addresses)',
        resolve: async (_args, _principal, plugin) => {
          const names = ['replies', 'skipped:already-replied', ...SKIP_REASONS.map((reason) => `skipped:${reason}`)];
          return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await plugin.store.counter(name)])));
        },
      },
      settings: {
        description: "the caller's out-of-office settings",
        resolve: async (_args, principal, plugin) =>
          (await plugin.store.get<VacationSettings>(settingsKey(principal.address))) ?? DEFAULT_SETTINGS,
      },
    },
    mutations: {
      setSettings: {
        description: "sets the caller's out-of-office: { enabled, start, end (YYYY-MM-DD), subject, body, addresses }",
        resolve: async (args, principal, plugin) => {
          const settings = parseSettings(args);
          if (typeof settings === 'string') throw new PluginError('BAD_USER_INPUT', settings);
          await plugin.store.set(settingsKey(principal.address), settings);
          return settings;
        },
      },
    },
  },
});
