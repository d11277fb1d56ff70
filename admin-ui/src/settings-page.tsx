import { useEffect, useState, type FormEvent } from 'react';
import { listPlugins, readSettings, updateSettings, type PluginSummary, type Settings } from './api.js';
import { Feedback } from './feedback.js';
import { errorText, useTexts } from './app.js';

/** Run-time settings (kept in the database, applied without restart), the environment read-only, and the plugins. */
export function SettingsPage() {
  const t = useTexts();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [plugins, setPlugins] = useState<PluginSummary[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  useEffect(() => {
    readSettings().then(setSettings, (caught: unknown) => setError(errorText(t, caught)));
    listPlugins().then(setPlugins, (caught: unknown) => setError(errorText(t, caught)));
  }, [t]);

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError('');
    setNotice('');
    try {
      setSettings(
        await updateSettings({
          hostname: String(form.get('hostname')),
          smtpSendRateLimit: Number(form.get('smtpSendRateLimit')),
          smtpGreetingPauseMs: Number(form.get('smtpGreetingPauseMs')),
          smtpBanner: String(form.get('smtpBanner')),
        }),
      );
      setNotice(t.saved);
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };

  const reset = async (name: string) => {
    setError('');
    try {
      setSettings(await updateSettings({ reset: [name] }));
      setNotice(t.saved);
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };

  const field = (name: 'hostname' | 'smtpSendRateLimit' | 'smtpGreetingPauseMs' | 'smtpBanner', input: React.ReactNode) => (
    <div className="setting" key={`${name}-${String(settings?.[name])}`}>
      <label>
        {t.settingNames[name]}
        {input}
      </label>
      {settings?.overridden.includes(name) && (
        <button type="button" onClick={() => reset(name)} aria-label={`${t.resetSetting} ${t.settingNames[name]}`}>
          {t.resetSetting}
        </button>
      )}
    </div>
  );

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t.settings}</h1>
      <Feedback error={error} notice={notice} />
      {settings === null ? (
        <p className="notice">{t.loading}</p>
      ) : (
        <>
          <form className="card editor" onSubmit={save} aria-label={t.runtimeSettings}>
            <h2>{t.runtimeSettings}</h2>
            {field('hostname', <input name="hostname" type="text" required maxLength={253} defaultValue={settings.hostname} />)}
            {field(
              'smtpSendRateLimit',
              <input name="smtpSendRateLimit" type="number" min={1} max={1000000} required defaultValue={settings.smtpSendRateLimit} />,
            )}
            {field(
              'smtpGreetingPauseMs',
              <input name="smtpGreetingPauseMs" type="number" min={0} max={60000} required defaultValue={settings.smtpGreetingPauseMs} />,
            )}
            {field(
              'smtpBanner',
              <input name="smtpBanner" type="text" maxLength={200} pattern="[ -~]*" defaultValue={settings.smtpBanner} />,
            )}
            <div className="buttons">
              <button className="primary" type="submit">
                {t.save}
              </button>
            </div>
          </form>
          <h2 className="section-title">{t.plugins}</h2>
          {plugins && (
            <div className="table-wrap">
              <table aria-label={t.plugins}>
                <thead>
                  <tr>
                    <th scope="col">{t.plugins}</th>
                    <th scope="col">{t.pluginState}</th>
                    <th scope="col">{t.hooksInUse}</th>
                  </tr>
                </thead>
                <tbody>
                  {plugins.length === 0 && (
                    <tr>
                      <td colSpan={3}>{t.none}</td>
                    </tr>
                  )}
                  {plugins.map((plugin) => (
                    <tr key={plugin.name}>
                      <td data-label={t.plugins}>{plugin.name}</td>
                      <td data-label={t.pluginState}>{plugin.state}</td>
                      <td data-label={t.hooksInUse}>
                        {plugin.hooks.length > 0 ? plugin.hooks.map((hook) => hook.name).join(', ') : t.none}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2 className="section-title">{t.environment}</h2>
          <div className="table-wrap">
            <table className="environment" aria-label={t.environment}>
              <thead>
                <tr>
                  <th scope="col">{t.variable}</th>
                  <th scope="col">{t.dnsValue}</th>
                </tr>
              </thead>
              <tbody>
                {settings.environment.map((row) => (
                  <tr key={row.variable}>
                    <td data-label={t.variable}>
                      <code>{row.variable}</code>
                    </td>
                    <td data-label={t.dnsValue}>
                      <code>{row.value}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
