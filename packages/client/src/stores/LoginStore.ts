import { Errors } from '@onseat/protocol';
import type { OnseatContext } from '../context.js';
import { LoginStatus } from '../enums.js';
import type { OnseatError } from '../errors.js';
import { LiveClient } from '../LiveClient.js';
import type { LoginEventMap, LoginParams, LoginUserInfo, SetSelfInfoParams } from '../types.js';
import { toUser } from './mappers.js';
import { Store } from './Store.js';

/** State of the {@link LoginStore}. */
export interface LoginSnapshot {
  loginUserInfo: LoginUserInfo | null;
  loginStatus: LoginStatus;
}

/**
 * AtomicX LoginState: `login` creates the LiveClient the other stores share and connects it; `logout` closes it.
 * Events: `onLoginExpired` (a reconnect was refused because the userSig expired), `onKickedOffline`.
 */
export class LoginStore extends Store<LoginSnapshot, LoginEventMap> {
  #customInfo: Record<string, unknown> | undefined;

  constructor(ctx: OnseatContext) {
    super(ctx, { loginUserInfo: null, loginStatus: LoginStatus.UNKNOWN });
    ctx.addSink({
      kickedOffline: (reason) => {
        this.#loggedOut();
        this.emit('onKickedOffline', { reason });
      },
      authFailed: (error: OnseatError) => {
        this.#loggedOut();
        if (error.code === Errors.USER_SIG_EXPIRED.code) this.emit('onLoginExpired', { code: error.code, message: error.message });
      },
      connectionLost: () => this.#loggedOut(),
    });
  }

  /** Connect as `userId`. A previous session of this store is closed first. Rejects with the server's error. */
  async login(params: LoginParams): Promise<void> {
    const { sdkAppId, userId, userSig, serverUrl } = params;
    this.ctx.setClient(null);
    this.#loggedOut();
    const o = this.ctx.options;
    const client = new LiveClient({
      sdkAppId,
      userId,
      userSig,
      serverUrl: serverUrl ?? o.serverUrl,
      WebSocket: o.WebSocket,
      requestTimeoutMs: o.requestTimeoutMs,
      reconnect: o.reconnect,
      pingIntervalMs: o.pingIntervalMs,
      logger: this.ctx.logger,
    });
    this.ctx.setClient(client);
    try {
      const hello = await client.connect();
      this.#customInfo = undefined;
      this.setState({ loginUserInfo: { ...toUser(hello.user) }, loginStatus: LoginStatus.LOGINED });
    } catch (error) {
      if (this.ctx.client === client) this.ctx.setClient(null);
      throw error;
    }
  }

  /** Leave the current live (best effort) and close the connection. */
  async logout(): Promise<void> {
    const client = this.ctx.client;
    if (client?.liveId && client.state === 'connected') {
      await client.request('live.leave', {}, { timeoutMs: 3000 }).catch(() => undefined);
    }
    this.ctx.setClient(null);
    this.#loggedOut();
  }

  /** Change the local user's name/avatar on the server (`customInfo` is kept locally only). */
  async setSelfInfo(params: SetSelfInfoParams): Promise<void> {
    const payload: { userName?: string; avatarUrl?: string } = {};
    if (params.userName !== undefined) payload.userName = params.userName;
    if (params.avatarUrl !== undefined) payload.avatarUrl = params.avatarUrl;
    const { user } = await this.ctx.request('user.setSelfInfo', payload);
    if (params.customInfo !== undefined) this.#customInfo = { ...params.customInfo };
    const info: LoginUserInfo = toUser(user);
    if (this.#customInfo) info.customInfo = this.#customInfo;
    this.setState({ loginUserInfo: info });
  }

  #loggedOut(): void {
    this.setState({ loginUserInfo: null, loginStatus: LoginStatus.UNKNOWN });
  }
}
