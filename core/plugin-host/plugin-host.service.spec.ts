import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { definePlugin } from './plugin-api.js';
import { PluginHost } from './plugin-host.service.js';

const silent = pino({ level: 'silent' });
const context = { sessionId: 's1', remoteAddress: '192.0.2.1', sender: 'a@b.example', recipient: 'c@d.example' };

describe('plugin host', () => {
  it('runs hooks by priority, then load order, and stops at the first decision', async () => {
    const calls: string[] = [];
    const host = new PluginHost(silent);
    host.register(
      definePlugin({
        name: 'first-loaded',
        hooks: {
          'smtp.rcpt': () => {
            calls.push('first-loaded');
          },
        },
      }),
    );
    host.register(
      definePlugin({
        name: 'urgent',
        hooks: {
          'smtp.rcpt': {
            priority: 50,
            handler: () => {
              calls.push('urgent');
            },
          },
        },
      }),
    );
    host.register(
      definePlugin({
        name: 'decider',
        hooks: {
          'smtp.rcpt': () => {
            calls.push('decider');
            return { action: 'reject', code: 550, text: 'no thanks' };
          },
        },
      }),
    );
    host.register(
      definePlugin({
        name: 'never',
        hooks: {
          'smtp.rcpt': () => {
            calls.push('never');
          },
        },
      }),
    );
    const outcome = await host.run('smtp.rcpt', context);
    expect(calls).toEqual(['urgent', 'first-loaded', 'decider']);
    expect(outcome).toEqual({ decision: { action: 'reject', code: 550, text: 'no thanks' }, plugin: 'decider' });
  });

  it('continues when no plugin decides', async () => {
    const host = new PluginHost(silent);
    host.register(definePlugin({ name: 'quiet', hooks: { 'smtp.rcpt': async () => ({ action: 'continue' }) } }));
    expect(await host.run('smtp.rcpt', context)).toEqual({ decision: { action: 'continue' } });
    expect(await host.run('smtp.mail', context)).toEqual({ decision: { action: 'continue' } });
  });

  it('turns a throw or a timeout into tempfail', async () => {
    const host = new PluginHost(silent);
    host.register(
      definePlugin({
        name: 'broken',
        hooks: {
          'smtp.mail': () => {
            throw new Error('bug');
          },
        },
      }),
    );
    expect(await host.run('smtp.mail', context)).toEqual({
      decision: { action: 'tempfail', text: 'plugin broken failed' },
      plugin: 'broken',
    });

    const slow = new PluginHost(silent);
    slow.register(definePlugin({ name: 'slow', hooks: { 'smtp.mail': { timeoutMs: 50, handler: () => new Promise(() => undefined) } } }));
    const started = Date.now();
    expect(await slow.run('smtp.mail', context)).toEqual({ decision: { action: 'tempfail', text: 'plugin slow failed' }, plugin: 'slow' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("lets a fail-open plugin's failure continue the chain", async () => {
    const host = new PluginHost(silent);
    host.register(
      definePlugin({
        name: 'optional',
        failOpen: true,
        hooks: {
          'smtp.mail': () => {
            throw new Error('down');
          },
        },
      }),
    );
    host.register(definePlugin({ name: 'policy', hooks: { 'smtp.mail': () => ({ action: 'accept' }) } }));
    expect(await host.run('smtp.mail', context)).toEqual({ decision: { action: 'accept' }, plugin: 'policy' });
  });

  it('refuses the same plugin twice', () => {
    const host = new PluginHost(silent);
    host.register(definePlugin({ name: 'twice', hooks: {} }));
    expect(() => host.register(definePlugin({ name: 'twice', hooks: {} }))).toThrow('plugin twice is loaded twice');
  });

  it('applies settings: disables and enables, reconfigures live, and reports a failed setup', async () => {
    const host = new PluginHost(silent);
    const seen: unknown[] = [];
    const config = { word: { type: 'string', default: 'a', help: 'h' } } as const;
    host.register(
      definePlugin({
        name: 'live',
        config,
        hooks: {
          'smtp.rcpt': (_context, plugin) => {
            seen.push(plugin.config.word);
          },
        },
      }),
    );
    host.register(
      definePlugin({
        name: 'broken',
        setup: () => {
          throw new Error('no backend');
        },
        hooks: { 'smtp.rcpt': () => ({ action: 'reject' }) },
      }),
    );
    await host.apply(new Map());
    await host.run('smtp.rcpt', context);
    await host.apply(new Map([['live', { enabled: null, config: { word: 'b' } }]]));
    await host.run('smtp.rcpt', context);
    // A stored value the schema refuses keeps the last good one.
    await host.apply(new Map([['live', { enabled: true, config: { word: 7 } }]]));
    await host.run('smtp.rcpt', context);
    await host.apply(new Map([['live', { enabled: false, config: {} }]]));
    expect(host.has('smtp.rcpt')).toBe(false);
    expect(seen).toEqual(['a', 'b', 'b']);
    expect(host.describe().map((plugin) => [plugin.name, plugin.state, plugin.error])).toEqual([
      ['live', 'disabled', null],
      ['broken', 'failed', 'setup failed: no backend'],
    ]);
  });

  it('runs transforms in load order and leaves the message when one throws', async () => {
    const host = new PluginHost(silent);
    host.register(definePlugin({ name: 'one', transforms: { 'message.send': ({ raw }) => Buffer.concat([raw, Buffer.from('1')]) } }));
    host.register(
      definePlugin({
        name: 'bug',
        transforms: {
          'message.send': () => {
            throw new Error('bug');
          },
        },
      }),
    );
    host.register(definePlugin({ name: 'two', transforms: { 'message.send': ({ raw }) => Buffer.concat([raw, Buffer.from('2')]) } }));
    const result = await host.transform('message.send', { user: 'u@x', sender: 'u@x', recipients: [], raw: Buffer.from('m') });
    expect(result?.toString()).toBe('m12');
  });
});
