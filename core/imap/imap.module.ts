import { Module } from '@nestjs/common';
import { MessageListingReader } from '../mail/message-listing.reader.js';
import { ImapMailBackend } from './imap-mail-backend.js';
import { ImapServer } from './imap.server.js';

@Module({ providers: [ImapServer, ImapMailBackend, MessageListingReader], exports: [ImapServer] })
export class ImapModule {}
