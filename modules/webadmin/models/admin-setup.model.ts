import { Field, InputType, ObjectType } from '@nestjs/graphql';

@ObjectType('AdminSetupStatus', { description: "Whether WebAdmin's first-run wizard is open (no system admin exists yet)" })
export class AdminSetupStatusModel {
  @Field()
  needed: boolean;

  @Field({ description: 'True when this client must give the setup token from the server log (it is not on loopback)' })
  tokenRequired: boolean;
}

@InputType('AdminSetupInput')
export class AdminSetupInput {
  @Field({ nullable: true, description: 'The one-time setup token the server printed in its log at start' })
  token?: string;

  @Field({ description: 'The host name of this server (MX target, greeting); kept as a run-time setting' })
  hostname: string;

  @Field({ description: 'The first hosted domain' })
  domain: string;

  @Field({ description: 'The first system admin, an address in that domain' })
  address: string;

  @Field()
  password: string;
}

@ObjectType('AdminDnsRecord', { description: 'A DNS record a hosted domain should publish, and whether DNS shows it' })
export class AdminDnsRecordModel {
  @Field({ description: 'mx, spf, dkim, dmarc, imaps-srv or submission-srv' })
  purpose: string;

  @Field({ description: 'MX, TXT or SRV' })
  type: string;

  @Field()
  name: string;

  @Field()
  value: string;

  @Field({ description: 'pass, fail, or unchecked when the check was not asked for' })
  status: string;

  @Field({ description: 'What DNS answered (empty when nothing)' })
  found: string;
}
