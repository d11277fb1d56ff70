import { useI18n } from '../../i18n/i18n.js';
import { SETTINGS_SECTIONS } from './settings-sections.js';
import type { SettingsProps } from './settings-props.js';

/** The settings view: a menu of sections and the chosen one; on a phone the menu, then the section. */
export function SettingsPage({
  section,
  onSection,
  onClose,
  ...props
}: SettingsProps & {
  section: string;
  onSection: (id: string) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const current = SETTINGS_SECTIONS.find((entry) => entry.id === section) ?? null;
  return (
    <section className={`settings${current ? ' section-open' : ''}`} aria-labelledby="settings-title">
      <nav className="settings-menu" aria-label={t('settings')}>
        <button type="button" className="link-button back-to-mail" onClick={onClose}>
          ← {t('backToMail')}
        </button>
        <h2 id="settings-title">{t('settings')}</h2>
        <ul>
          {SETTINGS_SECTIONS.map((entry) => (
            <li key={entry.id}>
              <button
                type="button"
                className={`settings-link${entry.id === current?.id ? ' current' : ''}`}
                aria-current={entry.id === current?.id ? 'page' : undefined}
                onClick={() => onSection(entry.id)}
              >
                {t(entry.label)}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {current && (
        <div className="settings-content">
          <button type="button" className="link-button settings-back" onClick={() => onSection('')}>
            ← {t('settings')}
          </button>
          <h2>{t(current.label)}</h2>
          <current.Component key={current.id} {...props} />
        </div>
      )}
    </section>
  );
}
