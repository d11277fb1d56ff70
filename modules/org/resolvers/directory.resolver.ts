import { UseGuards } from '@nestjs/common';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AuthenticatedGuard, CurrentAccount } from '../../../core/graphql/authenticated.guard.js';
import { DirectoryDepartmentModel, DirectoryPersonModel } from '../models/directory.model.js';
import { OrgPrivacy } from '../models/org-enums.js';
import { DirectoryService } from '../services/directory.service.js';
import { orgCall } from './org-graphql-errors.js';

type Asker = Parameters<DirectoryService['viewer']>[0];

/** The global address list for every signed-in user, filtered by each person's privacy level. */
@Resolver()
@UseGuards(AuthenticatedGuard)
export class DirectoryResolver {
  constructor(private readonly directory: DirectoryService) {}

  @Query(() => [DirectoryDepartmentModel], {
    description: 'Departments of your organisation: the top level, or the sub-departments of parentId',
  })
  async directoryDepartments(
    @CurrentAccount() account: Asker,
    @Args('parentId', { type: () => Int, nullable: true }) parentId: number | null,
  ): Promise<DirectoryDepartmentModel[]> {
    const viewer = await this.directory.viewer(account);
    return (await this.directory.departmentsOf(viewer, parentId ?? null)).map((department) => DirectoryDepartmentModel.from(department));
  }

  @Query(() => [DirectoryPersonModel], { description: 'A page of a department’s members you may see, managers first, then by name' })
  async directoryMembers(
    @CurrentAccount() account: Asker,
    @Args('departmentId', { type: () => Int }) departmentId: number,
    @Args('offset', { type: () => Int, defaultValue: 0 }) offset: number,
    @Args('limit', { type: () => Int, defaultValue: 50 }) limit: number,
  ): Promise<DirectoryPersonModel[]> {
    const viewer = await this.directory.viewer(account);
    return (await this.directory.members(viewer, departmentId, offset, limit)).map((entry) => DirectoryPersonModel.from(entry));
  }

  @Query(() => [DirectoryPersonModel], {
    description:
      'People you may see whose name, pinyin spelling or initials (zw, zhangwei → 张伟), address, phone or title starts with query',
  })
  async directorySearch(
    @CurrentAccount() account: Asker,
    @Args('query') query: string,
    @Args('limit', { type: () => Int, defaultValue: 20 }) limit: number,
  ): Promise<DirectoryPersonModel[]> {
    const viewer = await this.directory.viewer(account);
    return (await this.directory.search(viewer, query, limit)).map((entry) => DirectoryPersonModel.from(entry));
  }

  @Mutation(() => DirectoryPersonModel, { description: 'Sets who finds you in the address list and whether your phone numbers show' })
  directorySetMyPrivacy(
    @CurrentAccount() account: Asker,
    @Args('privacy', { type: () => OrgPrivacy }) privacy: OrgPrivacy,
    @Args('hidePhone') hidePhone: boolean,
  ): Promise<DirectoryPersonModel> {
    return orgCall(async () => DirectoryPersonModel.from(await this.directory.setOwnPrivacy(account.id, privacy, hidePhone)));
  }
}
