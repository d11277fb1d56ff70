import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('OrgImportResult', { description: 'What a CSV import did; rows refused are listed and the others applied' })
export class OrgImportResultModel {
  @Field(() => Int)
  created: number;

  @Field(() => Int)
  updated: number;

  @Field(() => Int, { description: 'Rows that matched what was already stored' })
  unchanged: number;

  @Field(() => [String], { description: '`line N: reason` for each refused row (the first 100)' })
  errors: string[];
}
