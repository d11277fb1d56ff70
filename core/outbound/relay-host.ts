/** MAILHIVE_RELAY_HOST: `host`, `host:port` or `smtp[s]://user:pass@host:port`. */
export interface RelayHost {
  host: string;
  port: number;
  secure: boolean;
  auth: { user: string; pass: string } | null;
}

export function parseRelayHost(value: string): RelayHost {
  if (/^smtps?:\/\//.test(value)) {
    const url = new URL(value);
    const secure = url.protocol === 'smtps:';
    return {
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : null,
    };
  }
  const [host, port] = value.split(':');
  return { host: host!, port: port ? Number(port) : 25, secure: false, auth: null };
}
