import { useCallback, useEffect, useState } from 'react';
import { securityApi, type DeviceSession } from '../../api/security-api.js';
import { formatFullDate } from '../../logic/format.js';
import { useI18n } from '../../i18n/i18n.js';
import { browserName } from './browser-name.js';
import { useSecurityText } from './security-messages.js';

/** The user's sessions (web and devices): what signed in, from where, when last seen; each but this one can end. */
export function SessionsSection() {
  const text = useSecurityText();
  const { language } = useI18n();
  const [sessions, setSessions] = useState<DeviceSession[] | null>(null);
  const [failed, setFailed] = useState(false);

  const reload = useCallback(() => {
    securityApi.sessions().then(setSessions, () => setFailed(true));
  }, []);
  useEffect(reload, [reload]);

  const end = async (id: string) => {
    setFailed(false);
    try {
      await securityApi.endSession(id);
      reload();
    } catch {
      setFailed(true);
    }
  };

  return (
    <section className="security-section" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{text('sessions')}</h2>
      <p className="notice">{text('sessionsNote')}</p>
      {failed && (
        <p className="error" role="alert">
          {text('failed')}
        </p>
      )}
      <ul className="session-list">
        {sessions?.map((session) => (
          <li key={session.id} className="session-row" data-testid="session-row">
            <div>
              <strong>{session.label || browserName(session.userAgent) || text('unknownBrowser')}</strong>
              {session.current && <span className="session-current"> · {text('thisSession')}</span>}
              <div className="notice">
                {session.address} · {text('lastSeen', { time: formatFullDate(session.lastSeenAt, language) })}
              </div>
            </div>
            {!session.current && (
              <button type="button" onClick={() => void end(session.id)}>
                {text('endSession')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
