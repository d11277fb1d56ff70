import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.loader.js';
import { introspectionEnabled } from './introspection.js';

describe('introspection switch', () => {
  it('is off by default in production and on elsewhere', () => {
    const setting = loadConfig({}).graphqlIntrospection;
    expect(setting).toBe('auto');
    expect(introspectionEnabled(setting, 'production')).toBe(false);
    expect(introspectionEnabled(setting, undefined)).toBe(true);
    expect(introspectionEnabled(setting, 'development')).toBe(true);
  });

  it('follows MAILHIVE_GRAPHQL_INTROSPECTION when it is set', () => {
    expect(introspectionEnabled(loadConfig({ MAILHIVE_GRAPHQL_INTROSPECTION: 'true' }).graphqlIntrospection, 'production')).toBe(true);
    expect(introspectionEnabled(loadConfig({ MAILHIVE_GRAPHQL_INTROSPECTION: 'false' }).graphqlIntrospection, 'development')).toBe(false);
    expect(introspectionEnabled(loadConfig({ MAILHIVE_GRAPHQL_INTROSPECTION: 'auto' }).graphqlIntrospection, 'production')).toBe(false);
  });
});
