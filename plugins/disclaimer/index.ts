import { definePlugin, PluginError, requireRole } from '../../core/plugin-host/plugin-api.js';
import { addFooter, type Footer } from './mime-footer.js';

const footerKey = (domain: string) => `footer:${domain.toLowerCase()}`;
const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * A footer per sending domain on outgoing mail (SMTP submission and webmail), in the text and the HTML parts.
 * Signed or encrypted messages are left alone, and the footer goes in before the server DKIM-signs. System admins
 * set each domain's footer through the plugin's GraphQL fields.
 */
export default definePlugin({
  name: 'disclaimer',
  description: 'adds a footer per domain to outgoing mail',
  config: {
    defaultFooter: { type: 'string', default: '', help: 'footer text for domains without one of their own (empty: none)' },
    internal: { type: 'boolean', default: false, help: "also add the footer when every recipient is in the sender's own domain" },
  },
  transforms: {
    'message.send': async ({ user, sender, recipients, raw }, plugin) => {
      const domain = domainOf(sender || user);
      if (!plugin.config.internal && recipients.every((recipient) => domainOf(recipient) === domain)) return undefined;
      const footer =
        (await plugin.store.get<Footer>(footerKey(domain))) ?? (plugin.config.defaultFooter ? { text: plugin.config.defaultFooter } : null);
      if (!footer) return undefined;
      const result = addFooter(raw, footer);
      if (!result.changed) {
        await plugin.store.increment(`skipped:${result.reason}`);
        return undefined;
      }
      await plugin.store.increment('added');
      return result.raw;
    },
  },
  graphql: {
    queries: {
      footer: {
        description: 'the footer of a domain: { domain } → { text, html } or null (system admins)',
        resolve: async (args, principal, plugin) => {
          requireRole(principal, 'system_admin');
          if (typeof args.domain !== 'string') throw new PluginError('BAD_USER_INPUT', 'domain: required');
          return plugin.store.get<Footer>(footerKey(args.domain));
        },
      },
    },
    mutations: {
      setFooter: {
        description: 'sets or (with empty text) removes the footer of a domain: { domain, text, html? } (system admins)',
        resolve: async (args, principal, plugin) => {
          requireRole(principal, 'system_admin');
          const { domain, text, html } = args;
          if (typeof domain !== 'string' || !/^[a-z0-9.-]+$/i.test(domain))
            throw new PluginError('BAD_USER_INPUT', 'domain: a domain name');
          if (typeof text !== 'string' || text.length > 4000) throw new PluginError('BAD_USER_INPUT', 'text: at most 4000 characters');
          if (html !== undefined && (typeof html !== 'string' || html.length > 8000))
            throw new PluginError('BAD_USER_INPUT', 'html: at most 8000 characters');
          if (!text.trim()) {
            await plugin.store.delete(footerKey(domain));
            return null;
          }
          const footer: Footer = { text, ...(html ? { html } : {}) };
          await plugin.store.set(footerKey(domain), footer);
          return footer;
        },
      },
    },
  },
});
