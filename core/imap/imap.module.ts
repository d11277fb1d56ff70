import { Module } from '@nestjs/common';
import { ImapMailBackend } from './imap-mail-backend.js';
import { ImapServer } from './imap.server.js';

@Module({ providers: [ImapServer, ImapMailBackend], exports: [ImapServer] })
export class ImapModule {}
