import { useEffect, useState } from 'react';
import { loadVacation, saveVacation, type VacationSettings } from '../../api/settings-api.js';
import { useI18n } from '../../i18n/i18n.js';
import { useFormStatus } from './form-status.js';
import type { SettingsProps } from './settings-props.js';

/** Out-of-office replies, through the vacation plugin's own GraphQL fields; absent when the plugin is not enabled. */
export function VacationSettingsSection({ onError }: SettingsProps) {
  const { t } = useI18n();
  const [vacation, setVacation] = useState<VacationSettings | null | 'loading'>('loading');
  const status = useFormStatus();
  useEffect(() => {
    void loadVacation().then(setVacation);
  }, []);
  if (vacation === 'loading') return <p className="notice">{t('loading')}</p>;
  if (vacation === null) return <p className="notice">{t('vacationUnavailable')}</p>;
  const change = (patch: Partial<VacationSettings>) => setVacation({ ...vacation, ...patch });
  return (
    <form
      className="settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        status.run(async () => setVacation(await saveVacation(vacation))).catch(onError);
      }}
    >
      <label className="choice">
        <input type="checkbox" name="enabled" checked={vacation.enabled} onChange={(event) => change({ enabled: event.target.checked })} />{' '}
        {t('vacationEnabled')}
      </label>
      <label htmlFor="vacation-start">{t('vacationStart')}</label>
      <input
        id="vacation-start"
        type="date"
        value={vacation.start ?? ''}
        onChange={(event) => change({ start: event.target.value || null })}
      />
      <label htmlFor="vacation-end">{t('vacationEnd')}</label>
      <input id="vacation-end" type="date" value={vacation.end ?? ''} onChange={(event) => change({ end: event.target.value || null })} />
      <label htmlFor="vacation-subject">{t('vacationSubject')}</label>
      <input
        id="vacation-subject"
        type="text"
        value={vacation.subject}
        maxLength={200}
        onChange={(event) => change({ subject: event.target.value })}
      />
      <label htmlFor="vacation-body">{t('vacationBody')}</label>
      <textarea id="vacation-body" rows={6} value={vacation.body} onChange={(event) => change({ body: event.target.value })} />
      <button type="submit" className="primary" disabled={status.busy}>
        {t('save')}
      </button>
      {status.line}
    </form>
  );
}
