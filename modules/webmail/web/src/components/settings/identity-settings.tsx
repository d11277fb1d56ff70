import { useState } from 'react';
import { saveSettings, type SendingIdentity } from '../../api/settings-api.js';
import { useI18n } from '../../i18n/i18n.js';
import { useFormStatus } from './form-status.js';
import type { SettingsProps } from './settings-props.js';

/** The name and signature each address the user may send as goes out with; the server says which addresses those are. */
export function IdentitySettings({ settings, onSettings, onError }: SettingsProps) {
  const { t } = useI18n();
  const [identities, setIdentities] = useState<SendingIdentity[]>(() =>
    settings.sendableAddresses.map(
      (address) => settings.identities.find((identity) => identity.address === address) ?? { address, name: '', signatureId: null },
    ),
  );
  const status = useFormStatus();
  const change = (index: number, patch: Partial<SendingIdentity>) =>
    setIdentities((list) => list.map((identity, at) => (at === index ? { ...identity, ...patch } : identity)));
  return (
    <form
      className="settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        status.run(async () => onSettings(await saveSettings({ identities }))).catch(onError);
      }}
    >
      <p className="notice">{t('identityHelp')}</p>
      {identities.map((identity, index) => (
        <fieldset key={identity.address} className="identity">
          <legend>{identity.address}</legend>
          <label htmlFor={`identity-name-${index}`}>{t('identityName')}</label>
          <input
            id={`identity-name-${index}`}
            type="text"
            value={identity.name}
            maxLength={200}
            onChange={(event) => change(index, { name: event.target.value })}
          />
          <label htmlFor={`identity-signature-${index}`}>{t('identitySignature')}</label>
          <select
            id={`identity-signature-${index}`}
            value={identity.signatureId ?? ''}
            onChange={(event) => change(index, { signatureId: event.target.value || null })}
          >
            <option value="">{t('noSignature')}</option>
            {settings.signatures.map((signature) => (
              <option key={signature.id} value={signature.id}>
                {signature.name}
              </option>
            ))}
          </select>
        </fieldset>
      ))}
      <button type="submit" className="primary" disabled={status.busy}>
        {t('save')}
      </button>
      {status.line}
    </form>
  );
}
