import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';

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
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https: http:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Built asset names: `index-<hash>.js`; nothing with a slash or a leading dot. */
const ASSET_NAME = /^[\w-]+(?:\.[\w-]+)*\.(?:js|css|svg|png|woff2?)$/;

/** Text assets worth compressing (the script is ~280 KB, ~90 KB gzipped). */
const COMPRESSIBLE: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const gzipAsync = promisify(gzip);

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', WEB_CLIENT_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

/** Serves the built webmail client on `/`; the client talks only to /graphql and /api/webmail. */
@Controller()
export class WebmailWebController {
  /** Gzipped text assets, made once per file: their names change with their content. */
  private readonly gzipped = new Map<string, Promise<Buffer | null>>();

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
  async asset(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!ASSET_NAME.test(file)) {
      res.status(404).end();
      return;
    }
    securityHeaders(res);
    const type = COMPRESSIBLE[extname(file)];
    if (type) res.setHeader('Vary', 'Accept-Encoding');
    if (type && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      const body = await this.compressed(file);
      if (body) {
        res.setHeader('Content-Type', type);
        res.setHeader('Content-Encoding', 'gzip');
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        res.end(body);
        return;
      }
    }
    // Content-hashed names never change content.
    res.sendFile(file, { root: join(WEB_CLIENT_DIR, 'assets'), dotfiles: 'deny', immutable: true, maxAge: '365d' }, (error) => {
      if (error && !res.headersSent) res.status(404).end();
    });
  }

  private compressed(file: string): Promise<Buffer | null> {
    let body = this.gzipped.get(file);
    if (!body) {
      // Only files that exist stay in the map, so requests for made-up names cannot grow it.
      body = readFile(join(WEB_CLIENT_DIR, 'assets', file)).then(
        (raw) => gzipAsync(raw, { level: 9 }),
        () => {
          this.gzipped.delete(file);
          return null;
        },
      );
      this.gzipped.set(file, body);
    }
    return body;
  }
}
