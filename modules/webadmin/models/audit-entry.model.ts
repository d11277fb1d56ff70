import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('AuditEntry', { description: 'One administrative action' })
export class AuditEntryModel {
  @Field(() => ID)
  id: string;

  @Field(() => Date)
  at: Date;

  @Field({ description: 'Who acted: an account address, cli or system' })
  actor: string;

  @Field({ description: "The actor's role when it acted; empty for cli and system" })
  actorRole: string;

  @Field({ description: 'user.add, user.update, user.passwd, user.remove, domain.add, domain.remove, ...' })
  action: string;

  @Field()
  target: string;

  @Field({ description: 'Before/after summary as JSON' })
  detail: string;

  @Field({ description: 'Client address of the request; empty for the CLI' })
  clientAddress: string;
}

@ObjectType('AuditPage', { description: 'A page of the audit log, newest first' })
export class AuditPageModel {
  @Field(() => [AuditEntryModel])
  entries: AuditEntryModel[];

  @Field(() => ID, { nullable: true, description: 'Pass as `before` for the next (older) page; null on the last page' })
  nextBefore: string | null;
}
