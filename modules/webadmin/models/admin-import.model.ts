import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('AdminImportRowError', { description: 'Why one line of an import file was not imported' })
export class AdminImportRowErrorModel {
  @Field(() => Int, { description: 'Line of the file (the header is line 1)' })
  line: number;

  @Field()
  address: string;

  @Field()
  message: string;
}

@ObjectType('AdminImportResult')
export class AdminImportResultModel {
  @Field(() => Int, { description: 'Data lines read' })
  rows: number;

  @Field(() => Int, { description: 'Users created (0 for a dry run, and when a line is bad and skipBadRows is false)' })
  imported: number;

  @Field(() => [AdminImportRowErrorModel])
  errors: AdminImportRowErrorModel[];
}
