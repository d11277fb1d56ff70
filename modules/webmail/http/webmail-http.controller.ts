import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AccessTokenService } from '../../../core/accounts/access-token.service.js';
import { requestSessionToken } from '../../../core/http/web-session-cookie.js';
import { MessageService } from '../../../core/mail/message.service.js';
import type { Account } from '../../../core/accounts/account.js';
import { decodedBytes, emlFilename, partAt, partFilename } from '../services/message-parts.js';
import { parseId } from '../services/mail-api.errors.js';
import { UploadService } from '../services/upload.service.js';
import { WEBMAIL_OPTIONS, type WebmailOptions } from '../webmail.options.js';
import { contentDisposition, safeMediaType } from './content-disposition.js';

type HttpError = 'UNAUTHENTICATED' | 'NOT_FOUND' | 'TOO_BIG' | 'UNSUPPORTED_MEDIA_TYPE' | 'OVERQUOTA' | 'UPLOAD_LIMIT';

const STATUS: Record<HttpError, number> = {
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  TOO_BIG: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  OVERQUOTA: 507,
  UPLOAD_LIMIT: 507,
};

function refuse(res: Response, code: HttpError, message?: string): void {
  if (code === 'UNAUTHENTICATED') res.setHeader('WWW-Authenticate', 'Bearer');
  res.status(STATUS[code]).json(message ? { error: code, message } : { error: code });
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 102.4) / 10} MiB`;

/** The one place where a refused upload becomes an HTTP answer. */
const UPLOAD_REFUSAL: Record<'too_big' | 'over_quota' | 'too_many' | 'uploads_full', (limit: number) => [HttpError, string]> = {
  too_big: (limit) => ['TOO_BIG', `an upload may be at most ${mib(limit)}`],
  over_quota: () => ['OVERQUOTA', 'the upload does not fit in your mailbox quota'],
  too_many: (limit) => ['UPLOAD_LIMIT', `at most ${limit} uploads may wait to be sent; send or discard some first`],
  uploads_full: (limit) => ['UPLOAD_LIMIT', `uploads waiting to be sent may take at most ${mib(limit)} in all; send or discard some first`],
};

/**
 * Attachment downloads and uploads, authorised like GraphQL (`Authorization: Bearer <token>`, or the web session
 * cookie with its X-CSRF-Token header). Downloads are always `attachment` with nosniff and a sandboxing CSP, so an
 * HTML or SVG attachment never runs in our origin.
 */
@Controller('api/webmail')
export class WebmailHttpController {
  constructor(
    private readonly tokens: AccessTokenService,
    private readonly messages: MessageService,
    private readonly uploads: UploadService,
    @Inject(WEBMAIL_OPTIONS) private readonly options: WebmailOptions,
  ) {}

  // GET /api/webmail/messages/42/attachments/2.1
  @Get('messages/:messageId/attachments/:part')
  async download(
    @Req() req: Request,
    @Res() res: Response,
    @Param('messageId') messageId: string,
    @Param('part') path: string,
  ): Promise<void> {
    const account = await this.account(req);
    if (!account) return refuse(res, 'UNAUTHENTICATED');
    const id = parseId(messageId);
    const message = id === null ? null : await this.messages.getById(account.id, id);
    const part = message ? partAt(message.structure.root, path) : null;
    if (!message || !part) return refuse(res, 'NOT_FOUND');
    const bytes = decodedBytes(await this.messages.readRaw(message.blobId), part);
    const filename = partFilename(part);
    res.status(200);
    res.setHeader('Content-Type', safeMediaType(`${part.type}/${part.subtype}`));
    res.setHeader('Content-Length', String(bytes.length));
    res.setHeader('Content-Disposition', contentDisposition(filename));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(bytes);
  }

  // GET /api/webmail/messages/42/raw   (the message as stored: "Show original" and "Download .eml")
  @Get('messages/:messageId/raw')
  async raw(@Req() req: Request, @Res() res: Response, @Param('messageId') messageId: string): Promise<void> {
    const account = await this.account(req);
    if (!account) return refuse(res, 'UNAUTHENTICATED');
    const id = parseId(messageId);
    const message = id === null ? null : await this.messages.getById(account.id, id);
    if (!message) return refuse(res, 'NOT_FOUND');
    const bytes = await this.messages.readRaw(message.blobId);
    res.status(200);
    res.setHeader('Content-Type', 'message/rfc822');
    res.setHeader('Content-Length', String(bytes.length));
    res.setHeader('Content-Disposition', contentDisposition(emlFilename(message.subject ?? '')));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(bytes);
  }

  // POST /api/webmail/uploads?filename=report.pdf&type=application/pdf   (body: the file, application/octet-stream)
  @Post('uploads')
  @HttpCode(201)
  async upload(
    @Req() req: Request,
    @Res() res: Response,
    @Query('filename') filename?: string,
    @Query('type') type?: string,
  ): Promise<void> {
    const account = await this.account(req);
    if (!account) return refuse(res, 'UNAUTHENTICATED');
    // JSON and form bodies are consumed by the body parser; the file must come as raw bytes.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/octet-stream'))
      return refuse(res, 'UNSUPPORTED_MEDIA_TYPE');
    const declared = /^\d{1,16}$/.test(req.headers['content-length'] ?? '') ? Number(req.headers['content-length']) : null;
    const outcome = await this.uploads.upload(account.id, req, String(filename ?? ''), safeMediaType(type), declared);
    if (!outcome.ok) {
      // The client went away; nobody is left to answer.
      if (outcome.reason === 'aborted') return void res.destroy();
      // The rest of the body is not read: the connection cannot carry another request.
      res.setHeader('Connection', 'close');
      return refuse(res, ...UPLOAD_REFUSAL[outcome.reason](outcome.limit));
    }
    res.status(201).json(outcome.upload);
  }

  private async account(req: Request): Promise<Account | null> {
    const token = requestSessionToken(req);
    return token ? ((await this.tokens.verifySession(token))?.account ?? null) : null;
  }
}
