import type { PluginHttp } from './plugin-api.js';

const DEFAULT_HTTP_TIMEOUT_MS = 5000;

/** The HTTP client of plugins: fetch with a deadline, so that a slow remote service cannot hold a hook. */
export function pluginHttp(): PluginHttp {
  return {
    async request(url, options = {}) {
      const response = await fetch(url, {
        method: options.method ?? 'GET',
        headers: options.headers,
        body: options.body,
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS),
      });
      return { status: response.status, headers: Object.fromEntries(response.headers.entries()), text: await response.text() };
    },
  };
}
