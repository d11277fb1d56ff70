import { useState } from 'react';
import { saveSettings, type ListDensity, type ReadingPaneLayout } from '../../api/settings-api.js';
import { LANGUAGES, useI18n, type Language } from '../../i18n/i18n.js';
import { useFormStatus } from './form-status.js';
import type { SettingsProps } from './settings-props.js';

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

/** Language, time zone, list density and reading pane; kept on the server, so every browser of the user follows. */
export function DisplaySettings({ settings, onSettings, onError }: SettingsProps) {
  const { t, setLanguage } = useI18n();
  const [language, setChosenLanguage] = useState(settings.language ?? '');
  const [timeZone, setTimeZone] = useState(settings.timeZone ?? '');
  const [density, setDensity] = useState<ListDensity>(settings.density);
  const [readingPane, setReadingPane] = useState<ReadingPaneLayout>(settings.readingPane);
  const [conversationView, setConversationView] = useState(settings.conversationView);
  const status = useFormStatus();
  const radio = <T extends string>(name: string, value: T, current: T, set: (value: T) => void, label: string) => (
    <label className="choice">
      <input type="radio" name={name} value={value} checked={current === value} onChange={() => set(value)} /> {label}
    </label>
  );
  return (
    <form
      className="settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        status
          .run(async () => {
            const saved = await saveSettings({
              language: language || null,
              timeZone: timeZone || null,
              density,
              readingPane,
              conversationView,
            });
            if (saved.language) setLanguage(saved.language as Language);
            onSettings(saved);
          })
          .catch(onError);
      }}
    >
      <label htmlFor="settings-language">{t('language')}</label>
      <select id="settings-language" value={language} onChange={(event) => setChosenLanguage(event.target.value)}>
        <option value="">{t('browserDefault')}</option>
        {LANGUAGES.map((entry) => (
          <option key={entry.id} value={entry.id}>
            {entry.label}
          </option>
        ))}
      </select>
      <label htmlFor="settings-time-zone">{t('timeZone')}</label>
      <select id="settings-time-zone" value={timeZone} onChange={(event) => setTimeZone(event.target.value)}>
        <option value="">{t('browserDefault')}</option>
        {timeZones().map((zone) => (
          <option key={zone} value={zone}>
            {zone}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>{t('density')}</legend>
        {radio('density', 'COMFORTABLE', density, setDensity, t('densityComfortable'))}
        {radio('density', 'COMPACT', density, setDensity, t('densityCompact'))}
      </fieldset>
      <fieldset>
        <legend>{t('readingPane')}</legend>
        {radio('readingPane', 'RIGHT', readingPane, setReadingPane, t('readingPaneRight'))}
        {radio('readingPane', 'OFF', readingPane, setReadingPane, t('readingPaneOff'))}
      </fieldset>
      <label className="choice">
        <input
          type="checkbox"
          name="conversationView"
          checked={conversationView}
          onChange={(event) => setConversationView(event.target.checked)}
        />{' '}
        {t('conversationView')}
      </label>
      <button type="submit" className="primary" disabled={status.busy}>
        {t('save')}
      </button>
      {status.line}
    </form>
  );
}
