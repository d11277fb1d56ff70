import { UseGuards } from '@nestjs/common';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import { OrgDepartmentInput, OrgDepartmentUpdateInput, OrgListInput, OrgPersonInput, OrgPlacementInput } from '../inputs/org.input.js';
import { OrgDepartmentModel } from '../models/org-department.model.js';
import { OrgPersonModel } from '../models/org-person.model.js';
import { CurrentOrgActor, OrgAdminGuard } from '../org-admin.guard.js';
import type { Department } from '../repositories/department.repository.js';
import type { OrgActor } from '../services/org-actor.js';
import { OrgAdminService } from '../services/org-admin.service.js';
import { orgCall } from './org-graphql-errors.js';

/** The organisation admin API: system and domain admins in their domains, department admins in their subtrees. */
@Resolver()
@UseGuards(OrgAdminGuard)
export class OrgAdminResolver {
  constructor(
    private readonly org: OrgAdminService,
    private readonly accounts: AccountsService,
  ) {}

  @Query(() => [OrgDepartmentModel], { description: 'Sub-departments of parentId; without it the top of the admin’s scope' })
  orgDepartments(
    @CurrentOrgActor() actor: OrgActor,
    @Args('parentId', { type: () => Int, nullable: true }) parentId: number | null,
  ): Promise<OrgDepartmentModel[]> {
    return orgCall(async () => this.models(await this.org.children(actor, parentId ?? null)));
  }

  @Query(() => OrgDepartmentModel)
  orgDepartment(@CurrentOrgActor() actor: OrgActor, @Args('id', { type: () => Int }) id: number): Promise<OrgDepartmentModel> {
    return orgCall(async () => (await this.models([await this.org.department(actor, id)]))[0]!);
  }

  @Query(() => [OrgPersonModel], { description: 'A page of a department’s members, managers first' })
  orgMembers(
    @CurrentOrgActor() actor: OrgActor,
    @Args('departmentId', { type: () => Int }) departmentId: number,
    @Args('offset', { type: () => Int, defaultValue: 0 }) offset: number,
    @Args('limit', { type: () => Int, defaultValue: 50 }) limit: number,
  ): Promise<OrgPersonModel[]> {
    return orgCall(async () => (await this.org.members(actor, departmentId, offset, limit)).map((member) => OrgPersonModel.from(member)));
  }

  @Query(() => [String], { description: 'The department admins of a department' })
  orgDepartmentAdmins(
    @CurrentOrgActor() actor: OrgActor,
    @Args('departmentId', { type: () => Int }) departmentId: number,
  ): Promise<string[]> {
    return orgCall(() => this.org.departmentAdmins(actor, departmentId));
  }

  @Query(() => [String], { description: 'The named senders of a department list' })
  orgListSenders(@CurrentOrgActor() actor: OrgActor, @Args('departmentId', { type: () => Int }) departmentId: number): Promise<string[]> {
    return orgCall(() => this.org.listSenders(actor, departmentId));
  }

  @Mutation(() => OrgDepartmentModel)
  orgCreateDepartment(@CurrentOrgActor() actor: OrgActor, @Args('input') input: OrgDepartmentInput): Promise<OrgDepartmentModel> {
    return orgCall(async () => (await this.models([await this.org.createDepartment(actor, input)]))[0]!);
  }

  @Mutation(() => OrgDepartmentModel)
  orgUpdateDepartment(
    @CurrentOrgActor() actor: OrgActor,
    @Args('id', { type: () => Int }) id: number,
    @Args('input') input: OrgDepartmentUpdateInput,
  ): Promise<OrgDepartmentModel> {
    return orgCall(async () => (await this.models([await this.org.updateDepartment(actor, id, input)]))[0]!);
  }

  @Mutation(() => OrgDepartmentModel, { description: 'Moves a department with its whole subtree; parentId null makes it top-level' })
  orgMoveDepartment(
    @CurrentOrgActor() actor: OrgActor,
    @Args('id', { type: () => Int }) id: number,
    @Args('parentId', { type: () => Int, nullable: true }) parentId: number | null,
  ): Promise<OrgDepartmentModel> {
    return orgCall(async () => (await this.models([await this.org.moveDepartment(actor, id, parentId ?? null)]))[0]!);
  }

  @Mutation(() => Boolean, {
    description: 'Deletes a department without sub-departments; its members must be moved (moveMembersTo) unless it has none',
  })
  orgDeleteDepartment(
    @CurrentOrgActor() actor: OrgActor,
    @Args('id', { type: () => Int }) id: number,
    @Args('moveMembersTo', { type: () => Int, nullable: true }) moveMembersTo: number | null,
  ): Promise<boolean> {
    return orgCall(() => this.org.deleteDepartment(actor, id, moveMembersTo ?? null));
  }

  @Mutation(() => OrgPersonModel, { description: 'Creates or changes a person’s directory entry' })
  orgSetPerson(@CurrentOrgActor() actor: OrgActor, @Args('input') input: OrgPersonInput): Promise<OrgPersonModel> {
    return orgCall(async () => OrgPersonModel.from(await this.org.setPerson(actor, input)));
  }

  @Mutation(() => [OrgPersonModel], {
    description: 'Batch of orgSetPerson, in order; stops at the first refusal (earlier entries stay written)',
  })
  orgSetPeople(
    @CurrentOrgActor() actor: OrgActor,
    @Args('inputs', { type: () => [OrgPersonInput] }) inputs: OrgPersonInput[],
  ): Promise<OrgPersonModel[]> {
    return orgCall(async () => {
      const people: OrgPersonModel[] = [];
      for (const input of inputs) people.push(OrgPersonModel.from(await this.org.setPerson(actor, input)));
      return people;
    });
  }

  @Mutation(() => OrgPersonModel, { description: 'Places a person in a department (as primary, as manager)' })
  orgPlaceMember(@CurrentOrgActor() actor: OrgActor, @Args('input') input: OrgPlacementInput): Promise<OrgPersonModel> {
    return orgCall(async () =>
      OrgPersonModel.from(await this.org.placeMember(actor, input.address, input.departmentId, input.primary, input.manager)),
    );
  }

  @Mutation(() => [OrgPersonModel], {
    description: 'Batch of orgPlaceMember, in order; stops at the first refusal (earlier entries stay written)',
  })
  orgPlaceMembers(
    @CurrentOrgActor() actor: OrgActor,
    @Args('inputs', { type: () => [OrgPlacementInput] }) inputs: OrgPlacementInput[],
  ): Promise<OrgPersonModel[]> {
    return orgCall(async () => {
      const placed: OrgPersonModel[] = [];
      for (const input of inputs)
        placed.push(
          OrgPersonModel.from(await this.org.placeMember(actor, input.address, input.departmentId, input.primary, input.manager)),
        );
      return placed;
    });
  }

  @Mutation(() => Boolean, {
    description: 'Takes a person out of a department; leaving the primary one makes their next department primary',
  })
  orgRemoveMember(
    @CurrentOrgActor() actor: OrgActor,
    @Args('address') address: string,
    @Args('departmentId', { type: () => Int }) departmentId: number,
  ): Promise<boolean> {
    return orgCall(() => this.org.removeMember(actor, address, departmentId));
  }

  @Mutation(() => [String], { description: 'Replaces the department admins of a department (users of its domain)' })
  orgSetDepartmentAdmins(
    @CurrentOrgActor() actor: OrgActor,
    @Args('departmentId', { type: () => Int }) departmentId: number,
    @Args('addresses', { type: () => [String] }) addresses: string[],
  ): Promise<string[]> {
    return orgCall(() => this.org.setDepartmentAdmins(actor, departmentId, addresses));
  }

  @Mutation(() => OrgDepartmentModel, { description: 'Sets a department’s list address, expansion and send policy' })
  orgSetDepartmentList(
    @CurrentOrgActor() actor: OrgActor,
    @Args('departmentId', { type: () => Int }) departmentId: number,
    @Args('input') input: OrgListInput,
  ): Promise<OrgDepartmentModel> {
    return orgCall(async () => (await this.models([await this.org.setList(actor, departmentId, input)]))[0]!);
  }

  private async models(departments: readonly Department[]): Promise<OrgDepartmentModel[]> {
    const domains = await this.accounts.domainsByIds([...new Set(departments.map((department) => department.domainId))]);
    const names = new Map(domains.map((domain) => [domain.id, domain.name]));
    return departments.map((department) => OrgDepartmentModel.from(department, names.get(department.domainId) ?? ''));
  }
}
