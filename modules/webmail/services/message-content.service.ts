import { Injectable } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { MessageService } from '../../../core/mail/message.service.js';
import type { HtmlRenderKind } from '../html/html-render.protocol.js';
import type { AttachmentModel, HeaderModel, MessageModel } from '../models/message.model.js';
import { WEBMAIL_HTTP_PREFIX } from '../webmail.options.js';
import { HtmlRenderService, MESSAGE_ID_TOKEN } from './html-render.service.js';
import {
  decodedHeaders,
  decodedText,
  estimatedSize,
  messageParts,
  partFilename,
  type LocatedPart,
  type MessageParts,
} from './message-parts.js';

const attachmentUrl = (messageId: string, path: string) => `${WEBMAIL_HTTP_PREFIX}/messages/${messageId}/attachments/${path}`;

const TRUNCATED_HTML = '<hr><p><em>This message is too long to show in full; only its beginning is shown.</em></p>';
const TRUNCATED_TEXT = '\n\n[This message is too long to show in full; only its beginning is shown.]';

/** Bodies, headers and attachments of one message, read from its raw blob at most once per GraphQL object. */
@Injectable()
export class MessageContentService {
  private readonly raws = new WeakMap<MessageModel, Promise<Buffer>>();
  private readonly parts = new WeakMap<MessageModel, MessageParts>();

  constructor(
    private readonly messages: MessageService,
    private readonly renderer: HtmlRenderService,
  ) {}

  async headers(message: MessageModel): Promise<HeaderModel[]> {
    return decodedHeaders(await this.raw(message), message.structure.root);
  }

  async text(message: MessageModel): Promise<string | null> {
    const { text, html } = this.partsOf(message);
    if (text) return decodedText(await this.raw(message), text.part);
    if (html) return this.rendered(message, html, 'text', false);
    return null;
  }

  async html(message: MessageModel, allowRemoteImages: boolean): Promise<string | null> {
    const { html } = this.partsOf(message);
    return html ? this.rendered(message, html, 'sanitize', allowRemoteImages) : null;
  }

  attachments(message: MessageModel): AttachmentModel[] {
    return this.partsOf(message).attachments.map(({ path, part }) => ({
      id: `${message.id}:${path}`,
      filename: partFilename(part),
      contentType: `${part.type}/${part.subtype}`,
      size: estimatedSize(part),
      contentId: part.id ? part.id.replace(/^\s*<|>\s*$/g, '') : null,
      url: attachmentUrl(message.id, path),
    }));
  }

  /**
   * An HTML body rendered off the event loop. Rendered once per blob: attachment URLs carry MESSAGE_ID_TOKEN,
   * replaced here by this message's id.
   */
  private async rendered(message: MessageModel, located: LocatedPart, kind: HtmlRenderKind, allowRemoteImages: boolean): Promise<string> {
    const outcome = await this.renderer.render(kind, message.row.blobId, located.path, allowRemoteImages, async () => {
      const raw = await this.raw(message);
      // A buffer of its own, handed over to the render thread.
      const body = new Uint8Array(Math.max(0, located.part.bodyEnd - located.part.bodyStart));
      body.set(raw.subarray(located.part.bodyStart, located.part.bodyEnd));
      const contentIds = this.attachments({ ...message, id: MESSAGE_ID_TOKEN })
        .filter((item) => item.contentId !== null)
        .map((item): [string, string] => [item.contentId as string, item.url]);
      return { body, encoding: located.part.encoding, charset: located.part.params['charset'] ?? null, contentIds };
    });
    if (!outcome.ok) {
      throw outcome.reason === 'busy'
        ? new GraphQLError('the server is too busy to show this message now; try again shortly', {
            extensions: { code: 'TEMPORARY_FAILURE' },
          })
        : new GraphQLError('this message body is too complex to show', { extensions: { code: 'CANNOT' } });
    }
    const { output, truncated } = outcome.result;
    if (kind === 'text') return truncated ? output + TRUNCATED_TEXT : output;
    const html = output.replaceAll(`/messages/${MESSAGE_ID_TOKEN}/`, `/messages/${message.id}/`);
    return truncated ? html + TRUNCATED_HTML : html;
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
