import { UseGuards } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AdminGuard, CurrentAdmin, forbidden } from '../../../core/graphql/admin.guard.js';
import { PluginModel } from '../../../core/plugin-host/plugin.model.js';
import { changed, jsonObject, toPluginModel } from '../../../core/plugin-host/plugins.resolver.js';
import { PluginsService } from '../../../core/plugin-host/plugins.service.js';

/** Plugin administration for system admins: the list with hooks and configuration, enable, disable, configure, reload. */
@Resolver()
export class AdminPluginsResolver {
  constructor(private readonly plugins: PluginsService) {}

  @UseGuards(AdminGuard)
  @Query(() => [PluginModel], { description: 'The plugins named in MAILHIVE_PLUGINS, in load order (system admins)' })
  adminPlugins(@CurrentAdmin() admin: AdminPrincipal): PluginModel[] {
    if (admin.role !== 'system_admin') throw forbidden();
    return this.plugins.list().map(toPluginModel);
  }

  @UseGuards(AdminGuard)
  @Mutation(() => PluginModel, { description: 'Enables or disables a plugin on every node, without a restart' })
  async adminSetPluginEnabled(
    @CurrentAdmin() admin: AdminPrincipal,
    @Args('name') name: string,
    @Args('enabled') enabled: boolean,
  ): Promise<PluginModel> {
    if (admin.role !== 'system_admin') throw forbidden();
    return changed(await this.plugins.setEnabled(name, enabled));
  }

  @UseGuards(AdminGuard)
  @Mutation(() => PluginModel, {
    description: 'Sets configuration values (a JSON object of key: value), validated; reaches the running plugin at once',
  })
  async adminConfigurePlugin(
    @CurrentAdmin() admin: AdminPrincipal,
    @Args('name') name: string,
    @Args('valuesJson') valuesJson: string,
  ): Promise<PluginModel> {
    if (admin.role !== 'system_admin') throw forbidden();
    return changed(await this.plugins.configure(name, jsonObject(valuesJson, 'valuesJson')));
  }

  @UseGuards(AdminGuard)
  @Mutation(() => PluginModel, { description: 'Tears a plugin down and sets it up again on every node' })
  async adminReloadPlugin(@CurrentAdmin() admin: AdminPrincipal, @Args('name') name: string): Promise<PluginModel> {
    if (admin.role !== 'system_admin') throw forbidden();
    return changed(await this.plugins.reload(name));
  }
}
