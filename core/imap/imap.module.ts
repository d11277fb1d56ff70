import { Module } from '@nestjs/common';
import { ImapServer } from './imap.server.js';

@Module({ providers: [ImapServer], exports: [ImapServer] })
export class ImapModule {}
