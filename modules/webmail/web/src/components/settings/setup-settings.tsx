import { useEffect, useState } from 'react';
import { downloadAttachment } from '../../api/attachments-http.js';
import { useI18n } from '../../i18n/i18n.js';
import type { SettingsProps } from './settings-props.js';

interface ServerRow {
  type: string;
  direction: 'incoming' | 'outgoing';
  hostname: string;
  port: string;
  socket: string;
}

/** The servers of the Thunderbird autoconfig document the server publishes: one source for clients and this page. */
async function loadServers(address: string): Promise<ServerRow[]> {
  const response = await fetch(`/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(address)}`);
  if (!response.ok) return [];
  const document = new DOMParser().parseFromString(await response.text(), 'application/xml');
  return [...document.querySelectorAll('incomingServer, outgoingServer')].map((element) => ({
    type: (element.getAttribute('type') ?? '').toUpperCase(),
    direction: element.tagName === 'incomingServer' ? 'incoming' : 'outgoing',
    hostname: element.querySelector('hostname')?.textContent ?? '',
    port: element.querySelector('port')?.textContent ?? '',
    socket: element.querySelector('socketType')?.textContent ?? '',
  }));
}

/** One-tap setup: what Thunderbird and Outlook find on their own, the Apple profile, and the settings to type in. */
export function SetupSettings({ account, onError }: SettingsProps) {
  const { t } = useI18n();
  const [servers, setServers] = useState<ServerRow[] | null>(null);
  useEffect(() => {
    loadServers(account.address).then(setServers, onError);
  }, [account.address, onError]);
  return (
    <div className="settings-form setup">
      <p>{t('setupAutomatic')}</p>
      <button
        type="button"
        className="primary download-profile"
        onClick={() => void downloadAttachment('/api/webmail/setup/mobileconfig', `${account.address}.mobileconfig`).catch(onError)}
      >
        {t('downloadProfile')}
      </button>
      <p className="notice">{t('profileUnsigned')}</p>
      <h3>{t('setupManual')}</h3>
      <p>{t('setupUsername', { address: account.address })}</p>
      {servers && (
        <table className="setup-servers">
          <tbody>
            {servers.map((server) => (
              <tr key={`${server.type}:${server.port}`}>
                <th scope="row">
                  {server.type} ({t(server.direction === 'incoming' ? 'serverIncoming' : 'serverOutgoing')})
                </th>
                <td className="hostname">{server.hostname}</td>
                <td className="port">{server.port}</td>
                <td className="socket">{server.socket === 'SSL' ? 'SSL/TLS' : server.socket}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
