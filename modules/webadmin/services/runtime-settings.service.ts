import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { MailhiveConfig } from '../../../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../../core/config/config.token.js';
import { SettingsRepository } from '../repositories/settings.repository.js';

/** Settings WebAdmin keeps in the database. The host name is set by the setup wizard; its default is MAILHIVE_HOSTNAME. */
export type RuntimeSettingName = 'hostname';

/** How often a node reads the settings again, so a change made on another node applies here too. */
const REFRESH_MS = 30_000;

/** RFC 1123 host name: labels of letters, digits and hyphens, at most 253 characters. */
export function isHostname(value: string): boolean {
  return value.length <= 253 && /^(?!-)[a-z0-9-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i.test(value);
}

/** The run-time settings of this node, read from the database at start, after each change and every REFRESH_MS. */
@Injectable()
export class RuntimeSettingsService implements OnApplicationBootstrap, OnModuleDestroy {
  private values = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly repository: SettingsRepository, @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.reload().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  hostname(): string {
    return this.values.get('hostname') ?? this.config.hostname;
  }

  async set(values: ReadonlyMap<RuntimeSettingName, string | null>): Promise<void> {
    await this.repository.write(values);
    await this.reload();
  }

  private async reload(): Promise<void> {
    this.values = await this.repository.all();
  }
}
