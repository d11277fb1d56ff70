import type { TwoFactorStatus } from '../../api/security-api.js';
import { useSecurityText } from './security-messages.js';
import { SessionsSection } from './sessions-section.js';
import { TwoFactorSection } from './two-factor-section.js';

export interface SecuritySettingsProps {
  /** Leaves the settings (a link back to the mail); none while the domain's requirement holds the session here. */
  onBack?: () => void;
  /** Called with every status read, e.g. so the app leaves the required enrolment once it is on. */
  onStatus?: (status: TwoFactorStatus) => void;
}

/** The user's security settings: two-factor sign-in and the sessions signed in. */
export function SecuritySettings({ onBack, onStatus }: SecuritySettingsProps) {
  const text = useSecurityText();
  return (
    <main className="security-settings" aria-labelledby="security-title">
      <header className="security-header">
        <h1 id="security-title">{text('security')}</h1>
        {onBack && (
          <button type="button" className="link-button" onClick={onBack}>
            {text('back')}
          </button>
        )}
      </header>
      <TwoFactorSection onStatus={onStatus} />
      {onBack && <SessionsSection />}
    </main>
  );
}
