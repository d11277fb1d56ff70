import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenService } from '../../accounts/access-token.service.js';
import { AccountsService } from '../../accounts/accounts.service.js';
import { openTestCore, type TestCore } from '../../../test/support/test-core.js';
import { WebsocketSessions, type SessionSocket } from './websocket-sessions.service.js';

/** Stands in for a `ws` socket: records the close and emits 'close' as ws does. */
class RecordingSocket extends EventEmitter implements SessionSocket {
  readyState = 1;
  closedWith: { code: number; reason: string } | null = null;
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
    this.emit('close');
  }
}

describe('websocket sessions', () => {
  let core: TestCore;
  let tokens: AccessTokenService;
  let sessions: WebsocketSessions;
  let accountId: number;

  beforeAll(async () => {
    core = await openTestCore({ MAILHIVE_SESSION_TTL_SECONDS: '1' });
    tokens = core.context.get(AccessTokenService);
    const accounts = core.context.get(AccountsService);
    await accounts.addDomain('ws.example');
    accountId = (await accounts.addUser({ address: 'ws@ws.example', password: 'password123' })).id;
    sessions = new WebsocketSessions(tokens, core.config, core.resources.logger);
  });

  afterAll(async () => {
    sessions.onApplicationShutdown();
    await core.close();
  });

  it('follows only a live session', async () => {
    expect(await sessions.follow(new RecordingSocket(), 'not-a-token')).toBe(false);
  });

  it('closes a socket when its token expires (4401)', async () => {
    const issued = await tokens.issue(accountId, 'session');
    const socket = new RecordingSocket();
    expect(await sessions.follow(socket, issued.secret)).toBe(true);
    expect(socket.closedWith).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, issued.expiresAt - Date.now() + 50));
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'Session expired' });
  });

  it('closes the sockets of a session revoked behind its back at the next re-check, and keeps the others', async () => {
    const revoked = await tokens.issue(accountId, 'session');
    const kept = await tokens.issue(accountId, 'session');
    const [first, second, other] = [new RecordingSocket(), new RecordingSocket(), new RecordingSocket()];
    await sessions.follow(first, revoked.secret);
    await sessions.follow(second, revoked.secret);
    await sessions.follow(other, kept.secret);
    await tokens.revoke(accountId, revoked.id);
    await sessions.recheck();
    expect([first.closedWith?.code, second.closedWith?.code, other.closedWith]).toEqual([4401, 4401, null]);
  });

  it('closes at once the sockets of a session ended on this node, by token or by id', async () => {
    const [a, b] = [await tokens.issue(accountId, 'session'), await tokens.issue(accountId, 'session')];
    const [byToken, byId] = [new RecordingSocket(), new RecordingSocket()];
    await sessions.follow(byToken, a.secret);
    await sessions.follow(byId, b.secret);
    sessions.endSession(a.secret);
    sessions.endSessionById(b.id);
    expect([byToken.closedWith, byId.closedWith]).toEqual([
      { code: 4401, reason: 'Session ended' },
      { code: 4401, reason: 'Session ended' },
    ]);
  });
});
