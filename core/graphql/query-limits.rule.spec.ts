import { buildSchema, parse, validate, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { queryLimitsRule } from './query-limits.rule.js';

const schema = buildSchema(`
  type Message { id: ID! subject: String! thread: [Message!]! to: [String!]! html: String text: String source: String }
  type Connection { nodes: [Message!]! total: Int! }
  type Query { messages(first: Int): Connection! message(id: ID!): Message }
`);
// As Nest emits them: a cost on the field itself, and costs a type lists for fields resolved elsewhere.
const message = schema.getType('Message') as GraphQLObjectType;
(message.getFields().source as any).extensions = { cost: 40 };
(message as any).extensions = { fieldCosts: { html: 100, text: 30 } };

const LIMITS = { maxDepth: 5, maxCost: 1000, expensiveFieldCost: 20, maxExpensiveFieldUses: 3, defaultPageSize: 50, defaultListLength: 10 };
const check = (query: string) => validate(schema, parse(query), [queryLimitsRule(LIMITS)]).map((error) => error.message);

describe('query limits rule', () => {
  it('accepts an ordinary page', () => {
    expect(check('{ messages(first: 20) { total nodes { id subject to } } }')).toEqual([]);
  });

  it('refuses nesting beyond the depth limit, through fragments too', () => {
    expect(check('{ message(id: 1) { thread { thread { thread { thread { id } } } } } }')).toEqual([
      'query depth 6 exceeds the limit of 5',
    ]);
    expect(check('fragment F on Message { thread { thread { thread { thread { id } } } } } { message(id: 1) { ...F } }')).toEqual([
      'query depth 6 exceeds the limit of 5',
    ]);
  });

  it('multiplies by page sizes and list lengths', () => {
    // 100 × (1 nodes + 1 id + 10 × (1 thread + 1 id)) + 1 messages → over 1000
    expect(check('{ messages(first: 100) { nodes { id thread { id } } } }')[0]).toMatch(/^query cost \d+ exceeds the limit of 1000$/);
    expect(check('query($n: Int) { messages(first: $n) { nodes { id } } }')).toEqual([]);
  });

  it('does not count introspection', () => {
    expect(check('{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }')).toEqual([]);
  });

  it('counts a field at its declared cost', () => {
    const cheap = (query: string) =>
      validate(schema, parse(query), [queryLimitsRule({ ...LIMITS, maxCost: 150 })]).map((error) => error.message);
    // 1 message + 1 id + 100 html (type-listed) + 30 text (type-listed) + 40 source (own extension) = 172
    expect(cheap('{ message(id: 1) { id html text source } }')).toEqual(['query cost 172 exceeds the limit of 150']);
    expect(cheap('{ message(id: 1) { id html text } }')).toEqual([]);
    expect(check('{ a: message(id: 1) { html } b: message(id: 2) { html } c: message(id: 3) { html text } }')).toEqual([]);
  });

  it('limits the runs of one expensive field, through aliases, fragments and lists', () => {
    const aliases = Array.from({ length: 4 }, (_, i) => `m${i}: message(id: ${i}) { html }`).join(' ');
    expect(check(`{ ${aliases} }`)).toEqual([
      'Message.html is asked for 4 times (aliases and list items count); at most 3 in one operation',
    ]);
    expect(check('{ message(id: 1) { a: html b: html c: html d: html } }')[0]).toMatch(/^Message\.html is asked for 4 times/);
    expect(check('fragment B on Message { x: source y: source } { a: message(id: 1) { ...B } b: message(id: 2) { ...B } }')[0]).toMatch(
      /^Message\.source is asked for 4 times/,
    );
    expect(check('{ messages(first: 4) { nodes { text } } }')[0]).toMatch(/^Message\.text is asked for 4 times/);
    expect(check('{ message(id: 1) { thread { html } } }')[0]).toMatch(/^Message\.html is asked for 10 times/);
    // Cheap fields are not limited this way.
    expect(check('{ messages(first: 20) { nodes { id subject } } }')).toEqual([]);
  });
});
