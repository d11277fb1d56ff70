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
    host.register(definePlugin({ name: 'first-loaded', hooks: { 'smtp.rcpt': () => { calls.push('first-loaded'); } } }));
    host.register(definePlugin({ name: 'urgent', hooks: { 'smtp.rcpt': { priority: 50, handler: () => { calls.push('urgent'); } } } }));
    host.register(definePlugin({
      name: 'decider', hooks: { 'smtp.rcpt': () => { calls.push('decider'); return { action: 'reject', code: 550, text: 'no thanks' }; } },
    }));
    host.register(definePlugin({ name: 'never', hooks: { 'smtp.rcpt': () => { calls.push('never'); } } }));
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
    host.register(definePlugin({ name: 'broken', hooks: { 'smtp.mail': () => { throw new Error('bug'); } } }));
    expect(await host.run('smtp.mail', context)).toEqual({ decision: { action: 'tempfail', text: 'plugin broken failed' }, plugin: 'broken' });

    const slow = new PluginHost(silent);
    slow.register(definePlugin({ name: 'slow', hooks: { 'smtp.mail': { timeoutMs: 50, handler: () => new Promise(() => undefined) } } }));
    const started = Date.now();
    expect(await slow.run('smtp.mail', context)).toEqual({ decision: { action: 'tempfail', text: 'plugin slow failed' }, plugin: 'slow' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('lets a fail-open plugin\'s failure continue the chain', async () => {
    const host = new PluginHost(silent);
    host.register(definePlugin({ name: 'optional', failOpen: true, hooks: { 'smtp.mail': () => { throw new Error('down'); } } }));
    host.register(definePlugin({ name: 'policy', hooks: { 'smtp.mail': () => ({ action: 'accept' }) } }));
    expect(await host.run('smtp.mail', context)).toEqual({ decision: { action: 'accept' }, plugin: 'policy' });
  });

  it('refuses the same plugin twice', () => {
    const host = new PluginHost(silent);
    host.register(definePlugin({ name: 'twice', hooks: {} }));
    expect(() => host.register(definePlugin({ name: 'twice', hooks: {} }))).toThrow('plugin twice is loaded twice');
  });
});
