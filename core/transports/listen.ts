import type { Server } from 'node:net';
import { StartupError } from '../util/startup-error.js';

/**
 * Binds a server and turns a bind failure into one line naming the port and its variable,
 * e.g. `cannot open port 25 (MAILHIVE_SMTP_PORT): address already in use`.
 */
export function listen(server: Server, port: number, host: string, variable: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const reason =
        error.code === 'EADDRINUSE'
          ? 'address already in use'
          : error.code === 'EACCES'
            ? 'permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)'
            : error.code === 'EADDRNOTAVAIL'
              ? `address ${host} is not available on this machine`
              : error.message;
      reject(new StartupError(`cannot open port ${port} (${variable}): ${reason}`));
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
