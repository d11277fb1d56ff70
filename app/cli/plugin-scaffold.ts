/** The files of `mailhive plugin new NAME`: a plugin under plugins/NAME with a configuration key, a hook and its test. */
export function scaffoldPlugin(name: string): Record<string, string> {
  return {
    'index.ts': `import { definePlugin } from '../../core/plugin-host/plugin-api.js';

/** ${name}: refuses messages whose subject contains a configured word (replace with your own logic). */
export default definePlugin({
  name: '${name}',
  description: 'refuses mail whose subject contains a word',
  config: {
    word: { type: 'string', default: 'forbidden', help: 'a subject containing this word is refused at DATA' },
  },
  hooks: {
    'smtp.data': ({ headers }, plugin) => {
      const subject = headers.subject ?? '';
      if (plugin.config.word && subject.toLowerCase().includes(plugin.config.word.toLowerCase())) {
        plugin.log.info('refused', { subject });
        return { action: 'reject', code: 550, text: \`subject contains "\${plugin.config.word}"\` };
      }
      return undefined;
    },
  },
});
`,
    'index.spec.ts': `import { describe, expect, it } from 'vitest';
import { pluginTestContext } from '../../core/plugin-host/plugin-api.js';
import plugin from './index.js';

const session = { sessionId: 's1', remoteAddress: '192.0.2.1', sender: 'a@example.com', recipients: ['b@example.net'], size: 0, raw: Buffer.alloc(0) };

describe('${name}', () => {
  it('refuses a subject with the configured word and lets others pass', async () => {
    const context = pluginTestContext(plugin, { word: 'lottery' });
    const hook = plugin.hooks!['smtp.data'] as Exclude<NonNullable<typeof plugin.hooks>['smtp.data'], { handler: unknown } | undefined>;
    expect(await hook({ ...session, headers: { subject: 'You won the LOTTERY' } }, context)).toMatchObject({ action: 'reject', code: 550 });
    expect(await hook({ ...session, headers: { subject: 'Lunch' } }, context)).toBeUndefined();
  });
});
`,
  };
}
