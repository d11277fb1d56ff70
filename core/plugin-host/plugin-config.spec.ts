import { describe, expect, it } from 'vitest';
import type { ConfigSchema } from './plugin-api.js';
import { parseConfigArgument, validateConfig } from './plugin-config.js';

const schema: ConfigSchema = {
  days: { type: 'number', default: 7, min: 1, max: 365, help: 'days between replies' },
  mode: { type: 'string', default: 'reject', choices: ['reject', 'quarantine'], help: 'what to do' },
  on: { type: 'boolean', default: true, help: 'switch' },
  domains: { type: 'string[]', default: [], help: 'domains' },
};

describe('plugin configuration', () => {
  it('fills defaults and keeps valid values', () => {
    expect(validateConfig(schema, { days: 3 })).toEqual({ ok: true, values: { days: 3, mode: 'reject', on: true, domains: [] } });
  });

  it('names every bad key', () => {
    expect(validateConfig(schema, { days: 0, mode: 'drop', on: 'yes', domains: [1], other: 1 })).toEqual({
      ok: false,
      errors: [
        'days: at least 1',
        'mode: expected one of reject, quarantine',
        'on: expected true or false',
        'domains: expected a list of strings',
        'other: no such setting',
      ],
    });
  });

  it('reads command-line values by type', () => {
    expect(parseConfigArgument(schema, 'days', '14')).toBe(14);
    expect(parseConfigArgument(schema, 'on', 'false')).toBe(false);
    expect(parseConfigArgument(schema, 'domains', 'a.example, b.example')).toEqual(['a.example', 'b.example']);
    expect(validateConfig(schema, { days: parseConfigArgument(schema, 'days', 'x') }).ok).toBe(false);
  });
});
