import { Injectable } from '@nestjs/common';
import { MessageService } from '../../../core/mail/message.service.js';
import { htmlToText } from '../../../core/mime/html-to-text.js';
import { sanitizeMessageHtml } from '../html/html-sanitizer.js';
import type { AttachmentModel, HeaderModel, MessageModel } from '../models/message.model.js';
import { WEBMAIL_HTTP_PREFIX } from '../webmail.options.js';
import { decodedHeaders, decodedText, estimatedSize, messageParts, type MessageParts } from './message-parts.js';

/** Bodies, headers and attachments of one message, read from its raw blob at most once per GraphQL object. */
@Injectable()
export class MessageContentService {
  private readonly raws = new WeakMap<MessageModel, Promise<Buffer>>();
  private readonly parts = new WeakMap<MessageModel, MessageParts>();

  constructor(private readonly messages: MessageService) {}

  async headers(message: MessageModel): Promise<HeaderModel[]> {
    return decodedHeaders(await this.raw(message), message.structure.root);
  }

  async text(message: MessageModel): Promise<string | null> {
    const { text, html } = this.partsOf(message);
    if (text) return decodedText(await this.raw(message), text.part);
    if (html) return htmlToText(decodedText(await this.raw(message), html.part));
    return null;
  }

  async html(message: MessageModel, allowRemoteImages: boolean): Promise<string | null> {
    const { html } = this.partsOf(message);
    if (!html) return null;
    const byContentId = new Map(this.attachments(message).filter((item) => item.contentId).map((item) => [item.contentId as string, item.url]));
    return sanitizeMessageHtml(decodedText(await this.raw(message), html.part), {
      allowRemoteImages, resolveContentId: (contentId) => byContentId.get(contentId) ?? null,
    }).html;
  }

  attachments(message: MessageModel): AttachmentModel[] {
    return this.partsOf(message).attachments.map(({ path, part }) => ({
      id: `${message.id}:${path}`,
      filename: part.filename ?? (part.type === 'message' && part.subtype === 'rfc822' ? 'message.eml' : null),
      contentType: `${part.type}/${part.subtype}`,
      size: estimatedSize(part),
      contentId: part.id ? part.id.replace(/^\s*<|>\s*$/g, '') : null,
      url: `${WEBMAIL_HTTP_PREFIX}/messages/${message.id}/attachments/${path}`,
    }));
  }

  private partsOf(message: MessageModel): MessageParts {
    let parts = this.parts.get(message);
    if (!parts) {
      parts = messageParts(message.structure.root);
      this.parts.set(message, parts);
    }
    return parts;
  }

  private raw(message: MessageModel): Promise<Buffer> {
    let raw = this.raws.get(message);
    if (!raw) {
      raw = this.messages.readRaw(message.row.blobId);
      this.raws.set(message, raw);
    }
    return raw;
  }
}
