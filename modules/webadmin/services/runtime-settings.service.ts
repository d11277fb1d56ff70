import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { MailhiveConfig } from '../../../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../../core/config/config.token.js';
import { runtimeSettings, type RuntimeSettingValues } from '../../../core/config/runtime-settings.js';
import { SettingsRepository } from '../repositories/settings.repository.js';

/**
 * Settings WebAdmin keeps in the database. The host name is set by the setup wizard (its default is
 * MAILHIVE_HOSTNAME; WebAdmin's DNS records use it); the others go to core's runtime settings on every node.
 */
export type RuntimeSettingName = 'hostname' | keyof RuntimeSettingValues;
export const RUNTIME_SETTING_NAMES: readonly RuntimeSettingName[] = ['hostname', 'smtpSendRateLimit', 'smtpGreetingPauseMs', 'smtpBanner'];

/** Bounds of the numeric settings. */
export const SETTING_LIMITS = {
  smtpSendRateLimit: { min: 1, max: 1_000_000 },
  smtpGreetingPauseMs: { min: 0, max: 60_000 },
  smtpBannerLength: 200,
} as const;

/** Why a value is refused, or null. Banner: printable ASCII on one line (it goes on the wire after 220). */
export function settingRefusal(name: RuntimeSettingName, value: string): string | null {
  if (name === 'hostname') return isHostname(value) ? null : 'the host name must be a fully qualified name such as mail.example.org';
  if (name === 'smtpBanner')
    return value.length <= SETTING_LIMITS.smtpBannerLength && /^[\x20-\x7e]*$/.test(value)
      ? null
      : `the banner is at most ${SETTING_LIMITS.smtpBannerLength} printable ASCII characters`;
  const { min, max } = SETTING_LIMITS[name];
  return /^\d{1,9}$/.test(value) && Number(value) >= min && Number(value) <= max
    ? null
    : `${name} must be a whole number from ${min} to ${max}`;
}

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

  constructor(
    private readonly repository: SettingsRepository,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
  ) {}

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

  /** The names set in the database (the others have their configured value). */
  overridden(): RuntimeSettingName[] {
    return RUNTIME_SETTING_NAMES.filter((name) => this.values.has(name));
  }

  async set(values: ReadonlyMap<RuntimeSettingName, string | null>): Promise<void> {
    await this.repository.write(values);
    await this.reload();
  }

  private async reload(): Promise<void> {
    this.values = await this.repository.all();
    // A stored value that no longer passes (written by an older version) is ignored rather than applied.
    const valid = (name: RuntimeSettingName): string | undefined => {
      const value = this.values.get(name);
      return value !== undefined && settingRefusal(name, value) === null ? value : undefined;
    };
    const rate = valid('smtpSendRateLimit');
    const pause = valid('smtpGreetingPauseMs');
    const banner = valid('smtpBanner');
    runtimeSettings.replace({
      ...(rate !== undefined ? { smtpSendRateLimit: Number(rate) } : {}),
      ...(pause !== undefined ? { smtpGreetingPauseMs: Number(pause) } : {}),
      ...(banner !== undefined ? { smtpBanner: banner } : {}),
    });
  }
}
