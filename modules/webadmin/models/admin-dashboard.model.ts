import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('AdminStatsPoint', { description: 'Counts of one hour or one day' })
export class AdminStatsPointModel {
  @Field(() => Date, { description: 'Start of the hour or day (UTC)' })
  at: Date;

  @Field(() => Int, { description: 'Messages taken in (SMTP, submission, GraphQL)' })
  received: number;

  @Field(() => Int, { description: 'Recipients relayed to remote servers' })
  sent: number;

  @Field(() => Int, { description: 'Recipients or messages refused at the SMTP door' })
  refused: number;

  @Field(() => Int, { description: 'Recipients bounced (permanent outbound failure, or refused after acceptance)' })
  bounced: number;

  @Field(() => Int)
  logins: number;

  @Field(() => Int)
  failedLogins: number;
}

@ObjectType('AdminDomainStorage')
export class AdminDomainStorageModel {
  @Field()
  domain: string;

  @Field(() => Int)
  users: number;

  @Field(() => Float)
  usedBytes: number;
}

@ObjectType('AdminTopAddress')
export class AdminTopAddressModel {
  @Field()
  address: string;

  @Field(() => Int)
  messages: number;
}

@ObjectType('AdminDashboard', { description: "WebAdmin's dashboard: counters kept by the server (not scraped from /metrics)" })
export class AdminDashboardModel {
  @Field(() => [AdminStatsPointModel], { description: 'The last 24 hours, oldest first, one point per hour' })
  hourly: AdminStatsPointModel[];

  @Field(() => [AdminStatsPointModel], { description: 'The last 30 days, oldest first, one point per day' })
  daily: AdminStatsPointModel[];

  @Field(() => Int, { description: 'Messages in the outbound queue' })
  queueSize: number;

  @Field(() => [AdminDomainStorageModel])
  storage: AdminDomainStorageModel[];

  @Field(() => [AdminTopAddressModel], { description: 'Senders with most messages over 30 days' })
  topSenders: AdminTopAddressModel[];

  @Field(() => [AdminTopAddressModel], { description: 'Recipients with most messages over 30 days' })
  topReceivers: AdminTopAddressModel[];
}
