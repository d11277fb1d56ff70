import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';

/** The repository (or install) root, found from here both in the sources and in dist/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Where `vite build` puts the client (modules/webmail/web/vite.config.ts). */
export const WEB_CLIENT_DIR = join(findRoot(), 'dist', 'webmail-web');

/**
 * The page's policy. Scripts only from our own files; inline styles for the message frame (a srcdoc document
 * inherits this policy, and the frame adds a stricter one of its own); images from anywhere so that remote images
 * can be shown once the user allows them for a message.
 */
export const WEB_CLIENT_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob: https: http:",
  "connect-src 'self'", "frame-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** Built asset names: `index-<hash>.js`; nothing with a slash or a leading dot. */
const ASSET_NAME = /^[\w-]+(?:\.[\w-]+)*\.(?:js|css|svg|png|woff2?)$/;

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', WEB_CLIENT_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

/** Serves the built webmail client on `/`; the client talks only to /graphql and /api/webmail. */
@Controller()
export class WebmailWebController {
  // GET /
  @Get()
  index(@Res() res: Response): void {
    securityHeaders(res);
    // The page names the hashed assets of one build; it must be revalidated so a new build is picked up.
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: WEB_CLIENT_DIR, dotfiles: 'deny' }, (error) => {
      if (error && !res.headersSent) {
        res.status(503).type('text/plain').send('The webmail client is not built: run `npm run build`.\n');
      }
    });
  }

  // GET /assets/index-PHQOt9pJ.js
  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!ASSET_NAME.test(file)) {
      res.status(404).end();
      return;
    }
    securityHeaders(res);
    // Content-hashed names never change content.
    res.sendFile(file, { root: join(WEB_CLIENT_DIR, 'assets'), dotfiles: 'deny', immutable: true, maxAge: '365d' }, (error) => {
      if (error && !res.headersSent) res.status(404).end();
    });
  }
}
