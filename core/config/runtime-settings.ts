/**
 * Settings an administrator may change while the server runs (WebAdmin keeps them in the database and sets them
 * here on every node); each falls back to its configuration value. Read at the moment of use, so a change applies
 * to the next connection or message without a restart.
 */
export interface RuntimeSettingValues {
  /** Overrides MAILHIVE_SMTP_SEND_RATE_LIMIT. */
  smtpSendRateLimit: number;
  /** Overrides MAILHIVE_SMTP_GREETING_PAUSE_MS. */
  smtpGreetingPauseMs: number;
  /** Text after `220 <host> ESMTP` in the SMTP greeting. */
  smtpBanner: string;
}

export const DEFAULT_SMTP_BANNER = 'Mailhive';

class RuntimeSettings {
  private values: Partial<RuntimeSettingValues> = {};

  /** Replaces every override at once (a setting left out goes back to its configured value). */
  replace(values: Partial<RuntimeSettingValues>): void {
    this.values = { ...values };
  }

  value<K extends keyof RuntimeSettingValues>(key: K, fallback: RuntimeSettingValues[K]): RuntimeSettingValues[K] {
    return this.values[key] ?? fallback;
  }
}

/** This process's run-time settings (one per process, like the metrics registry). */
export const runtimeSettings = new RuntimeSettings();
