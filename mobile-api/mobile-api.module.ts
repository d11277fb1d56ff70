import { Module, type DynamicModule } from '@nestjs/common';

/** What mobile apps need on top of the mail API: compact lists, delta sync, device sessions. */
@Module({})
export class MobileApiModule {
  static register(): DynamicModule {
    return { module: MobileApiModule, providers: [] };
  }
}
