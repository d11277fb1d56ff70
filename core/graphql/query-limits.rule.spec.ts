import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { queryLimitsRule } from './query-limits.rule.js';

const schema = buildSchema(`
  type Message { id: ID! subject: String! thread: [Message!]! to: [String!]! }
  type Connection { nodes: [Message!]! total: Int! }
  type Query { messages(first: Int): Connection! message(id: ID!): Message }
`);

const check = (query: string) => validate(schema, parse(query), [queryLimitsRule({ maxDepth: 5, maxCost: 1000, defaultPageSize: 50, defaultListLength: 10 })])
  .map((error) => error.message);

describe('query limits rule', () => {
  it('accepts an ordinary page', () => {
    expect(check('{ messages(first: 20) { total nodes { id subject to } } }')).toEqual([]);
  });

  it('refuses nesting beyond the depth limit, through fragments too', () => {
    expect(check('{ message(id: 1) { thread { thread { thread { thread { id } } } } } }')).toEqual(['query depth 6 exceeds the limit of 5']);
    expect(check('fragment F on Message { thread { thread { thread { thread { id } } } } } { message(id: 1) { ...F } }')).toEqual(['query depth 6 exceeds the limit of 5']);
  });

  it('multiplies by page sizes and list lengths', () => {
    // 100 × (1 nodes + 1 id + 10 × (1 thread + 1 id)) + 1 messages → over 1000
    expect(check('{ messages(first: 100) { nodes { id thread { id } } } }')[0]).toMatch(/^query cost \d+ exceeds the limit of 1000$/);
    expect(check('query($n: Int) { messages(first: $n) { nodes { id } } }')).toEqual([]);
  });

  it('does not count introspection', () => {
    expect(check('{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }')).toEqual([]);
  });
});
