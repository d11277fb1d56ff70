import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AccessTokenService } from '../../../core/accounts/access-token.service.js';
import { requestSessionToken } from '../../../core/http/web-session-cookie.js';
import { MessageService } from '../../../core/mail/message.service.js';
import type { AccountEntity } from '../../../core/store/entities/account.entity.js';
import { decodedBytes, partAt } from '../services/message-parts.js';
import { parseId } from '../services/mail-api.errors.js';
import { UploadService } from '../services/upload.service.js';
import { WEBMAIL_OPTIONS, type WebmailOptions } from '../webmail.options.js';
import { contentDisposition, safeMediaType } from './content-disposition.js';

type HttpError = 'UNAUTHENTICATED' | 'NOT_FOUND' | 'TOO_BIG' | 'UNSUPPORTED_MEDIA_TYPE';

const STATUS: Record<HttpError, number> = { UNAUTHENTICATED: 401, NOT_FOUND: 404, TOO_BIG: 413, UNSUPPORTED_MEDIA_TYPE: 415 };

function refuse(res: Response, code: HttpError): void {
  if (code === 'UNAUTHENTICATED') res.setHeader('WWW-Authenticate', 'Bearer');
  res.status(STATUS[code]).json({ error: code });
}

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
  async download(@Req() req: Request, @Res() res: Response, @Param('messageId') messageId: string, @Param('part') path: string): Promise<void> {
    const account = await this.account(req);
    if (!account) return refuse(res, 'UNAUTHENTICATED');
    const id = parseId(messageId);
    const message = id === null ? null : await this.messages.getById(account.id, id);
    const part = message ? partAt(message.structure.root, path) : null;
    if (!message || !part) return refuse(res, 'NOT_FOUND');
    const bytes = decodedBytes(await this.messages.readRaw(message.blobId), part);
    const filename = part.filename ?? (part.type === 'message' ? 'message.eml' : null);
    res.status(200);
    res.setHeader('Content-Type', safeMediaType(`${part.type}/${part.subtype}`));
    res.setHeader('Content-Length', String(bytes.length));
    res.setHeader('Content-Disposition', contentDisposition(filename));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(bytes);
  }

  // POST /api/webmail/uploads?filename=report.pdf&type=application/pdf   (body: the file, application/octet-stream)
  @Post('uploads')
  @HttpCode(201)
  async upload(@Req() req: Request, @Res() res: Response, @Query('filename') filename?: string, @Query('type') type?: string): Promise<void> {
    const account = await this.account(req);
    if (!account) return refuse(res, 'UNAUTHENTICATED');
    // JSON and form bodies are consumed by the body parser; the file must come as raw bytes.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/octet-stream')) return refuse(res, 'UNSUPPORTED_MEDIA_TYPE');
    // A declared length over the limit is refused before a byte is read.
    if (Number(req.headers['content-length'] ?? 0) > this.options.uploadLimitBytes) {
      res.setHeader('Connection', 'close');
      return refuse(res, 'TOO_BIG');
    }
    const outcome = await this.uploads.upload(account.id, req, String(filename ?? ''), safeMediaType(type));
    if (!outcome.ok) {
      res.setHeader('Connection', 'close');
      return refuse(res, 'TOO_BIG');
    }
    res.status(201).json(outcome.upload);
  }

  private async account(req: Request): Promise<AccountEntity | null> {
    const token = requestSessionToken(req);
    return token ? (await this.tokens.verifySession(token))?.account ?? null : null;
  }
}
