import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { MailhiveConfig } from '../../../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../../core/config/config.token.js';
import { AddressAllowList } from '../../../core/http/address-allow-list.js';

/** The repository (or install) root, found from here both in the sources and in dist/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Where `vite build` puts WebAdmin (admin-ui/vite.config.ts). */
export const ADMIN_CLIENT_DIR = join(findRoot(), 'dist', 'admin-ui');

/** Scripts and styles only from our own files; WebAdmin shows no remote content at all. */
const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Built asset names: `index-<hash>.js`; nothing with a slash or a leading dot. */
const ASSET_NAME = /^[\w-]+(?:\.[\w-]+)*\.(?:js|css|svg|png|woff2?)$/;

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', ADMIN_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

/** Serves the built WebAdmin client on `/admin` to the addresses MAILHIVE_ADMIN_ALLOW admits (403 for others). */
@Controller('admin')
export class AdminWebController {
  private readonly allowList: AddressAllowList;

  constructor(@Inject(MAILHIVE_CONFIG) config: MailhiveConfig) {
    this.allowList = new AddressAllowList(config.adminAllow);
  }

  // GET /admin
  @Get()
  index(@Req() req: Request, @Res() res: Response): void {
    if (!this.admitted(req, res)) return;
    securityHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: ADMIN_CLIENT_DIR, dotfiles: 'deny' }, (error) => {
      if (error && !res.headersSent) res.status(503).type('text/plain').send('WebAdmin is not built: run `npm run build`.\n');
    });
  }

  // GET /admin/assets/index-PHQOt9pJ.js
  @Get('assets/:file')
  asset(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    if (!this.admitted(req, res)) return;
    if (!ASSET_NAME.test(file)) {
      res.status(404).end();
      return;
    }
    securityHeaders(res);
    res.sendFile(file, { root: join(ADMIN_CLIENT_DIR, 'assets'), dotfiles: 'deny', immutable: true, maxAge: '365d' }, (error) => {
      if (error && !res.headersSent) res.status(404).end();
    });
  }

  private admitted(req: Request, res: Response): boolean {
    if (this.allowList.allows(req.socket.remoteAddress ?? '')) return true;
    res.status(403).type('text/plain').send('forbidden\n');
    return false;
  }
}
