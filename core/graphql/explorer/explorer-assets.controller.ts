import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EXPLORER_ASSETS_PATH, EXPLORER_CSP, EXPLORER_DIR } from './explorer-files.js';

/** Built asset names: `index-<hash>.js`, `codicon-<hash>.ttf`; nothing with a slash or a leading dot. */
const ASSET_NAME = /^[\w-]+(?:\.[\w-]+)*\.(?:js|css|ttf|woff2?|svg|png)$/;

/** The explorer's scripts, styles and font: immutable (their names carry a hash of their content). */
@Controller(EXPLORER_ASSETS_PATH)
export class ExplorerAssetsController {
  // GET /graphiql/assets/index-F84eL_6j.js
  @Get(':file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!ASSET_NAME.test(file)) {
      res.status(404).type('text/plain').send('not found\n');
      return;
    }
    res.setHeader('Content-Security-Policy', EXPLORER_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.sendFile(file, { root: `${EXPLORER_DIR}/assets`, dotfiles: 'deny' }, (error) => {
      if (error && !res.headersSent) res.status(404).type('text/plain').send('not found\n');
    });
  }
}
