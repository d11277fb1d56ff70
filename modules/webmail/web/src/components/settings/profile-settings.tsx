import { useState } from 'react';
import { changePassword, saveDisplayName } from '../../api/settings-api.js';
import { useI18n } from '../../i18n/i18n.js';
import { useFormStatus } from './form-status.js';
import type { SettingsProps } from './settings-props.js';

/** Display name, and the password (changing it signs every other session out, server side). */
export function ProfileSettings({ account, onAccount, onError }: SettingsProps) {
  const { t } = useI18n();
  const [name, setName] = useState(account.displayName);
  const nameStatus = useFormStatus();
  const passwordStatus = useFormStatus();
  return (
    <>
      <form
        className="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          nameStatus.run(async () => onAccount(await saveDisplayName(name))).catch(onError);
        }}
      >
        <label htmlFor="settings-display-name">{t('displayName')}</label>
        <input id="settings-display-name" type="text" value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
        <p className="notice">{account.address}</p>
        <button type="submit" className="primary" disabled={nameStatus.busy}>
          {t('save')}
        </button>
        {nameStatus.line}
      </form>
      <form
        className="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
          if (field('next') !== field('repeat')) return passwordStatus.fail(t('passwordsDiffer'));
          passwordStatus
            .run(async () => {
              await changePassword(field('current'), field('next'));
              form.reset();
            }, t('passwordChanged'))
            .catch(onError);
        }}
      >
        <h3>{t('changePassword')}</h3>
        <input type="text" name="username" autoComplete="username" value={account.address} readOnly hidden />
        <label htmlFor="settings-current-password">{t('currentPassword')}</label>
        <input id="settings-current-password" name="current" type="password" autoComplete="current-password" required />
        <label htmlFor="settings-new-password">{t('newPassword')}</label>
        <input id="settings-new-password" name="next" type="password" autoComplete="new-password" minLength={8} required />
        <label htmlFor="settings-repeat-password">{t('repeatPassword')}</label>
        <input id="settings-repeat-password" name="repeat" type="password" autoComplete="new-password" minLength={8} required />
        <button type="submit" className="primary" disabled={passwordStatus.busy}>
          {t('changePassword')}
        </button>
        {passwordStatus.line}
      </form>
    </>
  );
}
