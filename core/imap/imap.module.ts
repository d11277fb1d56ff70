import { Module } from '@nestjs/common';
import { MessageContentReader } from '../mail/message-content.reader.js';
import { ImapMailBackend } from './imap-mail-backend.js';
import { ImapServer } from './imap.server.js';

@Module({ providers: [ImapServer, ImapMailBackend, MessageContentReader], exports: [ImapServer] })
export class ImapModule {}
