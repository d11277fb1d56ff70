import { Global, Module } from '@nestjs/common';
import { WebsocketSessions } from './websocket-sessions.service.js';

/** Global, so that the GraphQL options factory and every resolver that ends a session reach the same registry. */
@Global()
@Module({ providers: [WebsocketSessions], exports: [WebsocketSessions] })
export class WebsocketSessionsModule {}
