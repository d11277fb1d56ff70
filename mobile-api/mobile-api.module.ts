import { Module, type DynamicModule } from '@nestjs/common';
import { CompactResolver } from './compact/compact.resolver.js';
import { DeviceSessionResolver } from './devices/device-session.resolver.js';
import { MessageTextResolver } from './messages/message-text.resolver.js';
import { SyncResolver } from './sync/sync.resolver.js';
import { SyncService } from './sync/sync.service.js';

/**
 * What mobile apps need on top of the mail API: compact lists, delta sync (`changes(since:)`), device sessions, and a
 * message's text (`messageText`), so an app can list and read mail with this module alone.
 * Push is the core `mailEvents` subscription over graphql-ws.
 */
@Module({})
export class MobileApiModule {
  static register(): DynamicModule {
    return {
      module: MobileApiModule,
      providers: [SyncService, SyncResolver, DeviceSessionResolver, CompactResolver, MessageTextResolver],
    };
  }
}
