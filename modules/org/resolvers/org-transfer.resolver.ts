import { UseGuards } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { OrgImportResultModel } from '../models/org-import-result.model.js';
import { CurrentOrgActor, OrgAdminGuard } from '../org-admin.guard.js';
import type { OrgActor } from '../services/org-actor.js';
import { DEPARTMENT_COLUMNS, OrgTransferService, PEOPLE_COLUMNS } from '../services/org-transfer.service.js';
import { orgCall } from './org-graphql-errors.js';

/** CSV import and export of the organisation, within the admin's scope. */
@Resolver()
@UseGuards(OrgAdminGuard)
export class OrgTransferResolver {
  constructor(private readonly transfer: OrgTransferService) {}

  @Query(() => String, { description: `Departments as CSV: ${DEPARTMENT_COLUMNS.join(', ')}` })
  orgExportDepartmentsCsv(@CurrentOrgActor() actor: OrgActor): Promise<string> {
    return orgCall(() => this.transfer.exportDepartments(actor));
  }

  @Query(() => String, {
    description: `People and their placement as CSV: ${PEOPLE_COLUMNS.join(', ')} (department codes, ; between several)`,
  })
  orgExportPeopleCsv(@CurrentOrgActor() actor: OrgActor): Promise<string> {
    return orgCall(() => this.transfer.exportPeople(actor));
  }

  @Mutation(() => OrgImportResultModel, {
    description: 'Creates and updates departments by code (the columns of orgExportDepartmentsCsv); idempotent',
  })
  orgImportDepartmentsCsv(@CurrentOrgActor() actor: OrgActor, @Args('csv') csv: string): Promise<OrgImportResultModel> {
    return orgCall(async () => this.transfer.importDepartments(actor, csv));
  }

  @Mutation(() => OrgImportResultModel, {
    description:
      'Creates and updates people by employee number (else address) and sets their placement to the departments named; idempotent',
  })
  orgImportPeopleCsv(@CurrentOrgActor() actor: OrgActor, @Args('csv') csv: string): Promise<OrgImportResultModel> {
    return orgCall(async () => this.transfer.importPeople(actor, csv));
  }
}
