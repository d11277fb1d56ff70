import { UseGuards } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import type { AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AdminGuard, CurrentAdmin } from '../../../core/graphql/admin.guard.js';
import { AdminDashboardModel } from '../models/admin-dashboard.model.js';
import { DashboardService } from '../services/dashboard.service.js';

@Resolver()
@UseGuards(AdminGuard)
export class AdminDashboardResolver {
  constructor(private readonly dashboard: DashboardService) {}

  @Query(() => AdminDashboardModel, { description: 'Traffic, logins, queue, storage and top addresses (system admins)' })
  adminDashboard(@CurrentAdmin() principal: AdminPrincipal): Promise<AdminDashboardModel> {
    return this.dashboard.dashboard(principal);
  }
}
