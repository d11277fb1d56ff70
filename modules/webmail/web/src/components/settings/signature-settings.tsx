import { useState } from 'react';
import { saveSettings, type Signature } from '../../api/settings-api.js';
import { useI18n } from '../../i18n/i18n.js';
import { useFormStatus } from './form-status.js';
import type { SettingsProps } from './settings-props.js';

const MAX_SIGNATURES = 10;

/** Named plain-text signatures; a sending address picks one (Sending addresses). */
export function SignatureSettings({ settings, onSettings, onError }: SettingsProps) {
  const { t } = useI18n();
  const [signatures, setSignatures] = useState<Signature[]>(settings.signatures);
  const status = useFormStatus();
  const change = (index: number, patch: Partial<Signature>) =>
    setSignatures((list) => list.map((signature, at) => (at === index ? { ...signature, ...patch } : signature)));
  return (
    <form
      className="settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        status.run(async () => onSettings(await saveSettings({ signatures }))).catch(onError);
      }}
    >
      {signatures.map((signature, index) => (
        <fieldset key={signature.id} className="signature">
          <label htmlFor={`signature-name-${signature.id}`}>{t('signatureName')}</label>
          <input
            id={`signature-name-${signature.id}`}
            type="text"
            value={signature.name}
            maxLength={100}
            required
            onChange={(event) => change(index, { name: event.target.value })}
          />
          <label htmlFor={`signature-text-${signature.id}`}>{t('signatureText')}</label>
          <textarea
            id={`signature-text-${signature.id}`}
            rows={4}
            value={signature.text}
            maxLength={10_000}
            onChange={(event) => change(index, { text: event.target.value })}
          />
          <button
            type="button"
            className="link-button danger"
            onClick={() => setSignatures((list) => list.filter((_, at) => at !== index))}
          >
            {t('remove')}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        disabled={signatures.length >= MAX_SIGNATURES}
        onClick={() => setSignatures((list) => [...list, { id: `s${Date.now().toString(36)}`, name: '', text: '' }])}
      >
        {t('addSignature')}
      </button>
      <button type="submit" className="primary" disabled={status.busy}>
        {t('save')}
      </button>
      {status.line}
    </form>
  );
}
