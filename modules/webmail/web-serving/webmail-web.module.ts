import { Module } from '@nestjs/common';
import { WebmailWebController } from './webmail-web.controller.js';

/** The webmail web client's static files on `/` (built by `npm run build` into dist/webmail-web/). */
@Module({ controllers: [WebmailWebController] })
export class WebmailWebModule {}
