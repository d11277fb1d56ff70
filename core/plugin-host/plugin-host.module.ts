import { Module } from '@nestjs/common';
import { DeliveryModule } from '../mail/delivery.module.js';
import { PluginMailService } from './plugin-mail.service.js';
import { PluginStoreRepository } from '../store/repositories/plugin-store.repository.js';
import { PluginsResolver } from './plugins.resolver.js';
import { PluginsService } from './plugins.service.js';

/** Plugins at run time (settings, services, storage events) and their GraphQL surface. PluginHost itself is a core value. */
@Module({
  imports: [DeliveryModule],
  providers: [PluginStoreRepository, PluginMailService, PluginsService, PluginsResolver],
  exports: [PluginsService],
})
export class PluginHostModule {}
