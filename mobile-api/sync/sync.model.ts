import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLScalarType, Kind } from 'graphql';

/** An opaque position in the account's change history; pass it back to `changes(since:)`. */
export const StateScalar = new GraphQLScalarType({
  name: 'State',
  description: 'Opaque sync position from syncState or changes.state',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== 'string') throw new TypeError('State must be a string');
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError('State must be a string');
    return ast.value;
  },
});

@ObjectType('SyncChanges', { description: 'What changed since a state: message and mailbox ids, and the state to use next' })
export class SyncChangesModel {
  @Field(() => [ID], { description: 'Messages that are new to the client' })
  created: string[];

  @Field(() => [ID], { description: 'Messages whose flags changed' })
  updated: string[];

  @Field(() => [ID], { description: 'Messages that are gone (expunged, moved away)' })
  removed: string[];

  @Field(() => [ID], { description: 'Mailboxes created, renamed or with new counters' })
  mailboxesChanged: string[];

  @Field(() => [ID], { description: 'Mailboxes deleted, with all their messages' })
  mailboxesRemoved: string[];

  @Field(() => StateScalar)
  state: string;
}
