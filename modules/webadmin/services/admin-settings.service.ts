import { Inject, Injectable } from '@nestjs/common';
import type { AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { printConfig } from '../../../core/config/config.loader.js';
import type { MailhiveConfig } from '../../../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../../core/config/config.token.js';
import { DEFAULT_SMTP_BANNER, runtimeSettings } from '../../../core/config/runtime-settings.js';
import { forbidden } from '../../../core/graphql/admin.guard.js';
import type { AdminSettingsInput, AdminSettingsModel } from '../models/admin-settings.model.js';
import { AdminAuditService } from './admin-audit.service.js';
import { badInput } from './admin-errors.js';
import { RUNTIME_SETTING_NAMES, RuntimeSettingsService, settingRefusal, type RuntimeSettingName } from './runtime-settings.service.js';

/** Run-time settings and the environment (read-only): server-wide, so for system admins only. */
@Injectable()
export class AdminSettingsService {
  constructor(
    private readonly settings: RuntimeSettingsService,
    private readonly audit: AdminAuditService,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
  ) {}

  read(principal: AdminPrincipal): AdminSettingsModel {
    if (principal.role !== 'system_admin') throw forbidden();
    const environment = printConfig(this.config)
      .split('\n')
      .map((line) => {
        const equals = line.indexOf('=');
        return { variable: line.slice(0, equals), value: line.slice(equals + 1) };
      });
    return {
      hostname: this.settings.hostname(),
      smtpSendRateLimit: runtimeSettings.value('smtpSendRateLimit', this.config.smtpSendRateLimit),
      smtpGreetingPauseMs: runtimeSettings.value('smtpGreetingPauseMs', this.config.smtpGreetingPauseMs),
      smtpBanner: runtimeSettings.value('smtpBanner', DEFAULT_SMTP_BANNER),
      overridden: this.settings.overridden(),
      environment,
    };
  }

  async update(principal: AdminPrincipal, input: AdminSettingsInput, clientAddress: string): Promise<AdminSettingsModel> {
    if (principal.role !== 'system_admin') throw forbidden();
    const changes = new Map<RuntimeSettingName, string | null>();
    for (const name of input.reset ?? []) {
      if (!(RUNTIME_SETTING_NAMES as readonly string[]).includes(name))
        throw badInput(`reset names one of ${RUNTIME_SETTING_NAMES.join(', ')}`);
      changes.set(name as RuntimeSettingName, null);
    }
    const given: [RuntimeSettingName, string | number | undefined][] = [
      ['hostname', input.hostname?.trim().toLowerCase()],
      ['smtpSendRateLimit', input.smtpSendRateLimit],
      ['smtpGreetingPauseMs', input.smtpGreetingPauseMs],
      ['smtpBanner', input.smtpBanner],
    ];
    for (const [name, value] of given) {
      if (value === undefined || value === null) continue;
      const refusal = settingRefusal(name, String(value));
      if (refusal) throw badInput(refusal);
      changes.set(name, String(value));
    }
    if (changes.size > 0) {
      const before = this.read(principal);
      await this.settings.set(changes);
      await this.audit.record(principal, clientAddress, 'settings.update', 'settings', {
        before: Object.fromEntries([...changes.keys()].map((name) => [name, before[name]])),
        after: Object.fromEntries(changes),
      });
    }
    return this.read(principal);
  }
}
