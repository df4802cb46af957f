import type { LiveSnapshot } from '@onseat/protocol';
import type { AnyLiveEvent } from '../client/liveTracker.js';
import type { OnseatContext } from '../context.js';
import { isOnseatError } from '../errors.js';
import type { CoGuestEventMap, LiveUserInfo, SeatUserInfo } from '../types.js';
import { applicationErrorMessage } from './coGuestMessages.js';
import { toConnected, toUser } from './mappers.js';
import { Store } from './Store.js';

/** State of the {@link CoGuestStore}. */
export interface CoGuestSnapshot {
  /** Users on seats, the owner included. */
  connected: readonly SeatUserInfo[];
  /** Host: pending applicants. Audience: yourself while your application is pending. */
  applicants: readonly LiveUserInfo[];
  /** Host: invited users. Audience: the hosts that invited you (keyed by inviter). */
  invitees: readonly LiveUserInfo[];
  /** Always empty (as in AtomicX for Web). */
  candidates: readonly LiveUserInfo[];
  /**
   * onseat extension: when each pending application ends by itself, by applicant userId (epoch ms in this machine's
   * clock, corrected by the server time offset measured at hello; null = no timeout), so countdowns stay right after
   * a reload.
   */
  applicationDeadlines: ReadonlyMap<string, number | null>;
  /** onseat extension: the same for invitations, keyed like `invitees`. */
  invitationDeadlines: ReadonlyMap<string, number | null>;
}

interface Pending {
  requestId: string;
  user: LiveUserInfo;
  deadline: number | null;
}

const ENDED_KEPT = 256;

/**
 * AtomicX CoGuestState: applications (audience → hosts) and invitations (host → audience), with the AtomicX
 * `HostEvent`/`GuestEvent` events. Accept/reject of a request that already ended is a silent no-op.
 */
export class CoGuestStore extends Store<CoGuestSnapshot, CoGuestEventMap> {
  /** By applicant userId (your own application under your own id). */
  readonly #applications = new Map<string, Pending>();
  /** Host side: by invitee userId; invitee side: by inviter userId. */
  readonly #invitations = new Map<string, Pending>();
  /** Request ids that reached a terminal state (so a late result does not resurrect them). */
  readonly #ended = new Set<string>();

  constructor(ctx: OnseatContext) {
    super(ctx, { connected: [], applicants: [], invitees: [], candidates: [], applicationDeadlines: new Map(), invitationDeadlines: new Map() });
    ctx.addSink({
      liveSnapshot: (snapshot) => this.#onSnapshot(snapshot),
      liveEvent: (event) => this.#onEvent(event),
      liveExit: () => {
        this.#applications.clear();
        this.#invitations.clear();
        this.resetState();
      },
    });
  }

  /** Ask to take a seat (-1 = any). Resolves once sent; you then appear in your own `applicants`. */
  async applyForSeat(params: { seatIndex: number; timeout: number }): Promise<void> {
    const { application } = await this.ctx.request('coGuest.apply', { seatIndex: params.seatIndex, timeout: params.timeout });
    if (this.#ended.has(application.requestId)) return;
    this.#applications.set(application.user.userId, {
      requestId: application.requestId,
      user: toUser(application.user),
      deadline: application.deadline,
    });
    this.#publish();
  }

  /** Withdraw your pending application; no-op when there is none. */
  async cancelApplication(): Promise<void> {
    const own = this.#applications.get(this.ctx.userId);
    if (!own) return;
    await this.ctx.request('coGuest.cancelApplication', {});
    this.#remove(this.#applications, this.ctx.userId, own.requestId);
  }

  /** Accept an application; silent no-op when `userId` is not among `applicants` or it was already processed. */
  async acceptApplication(params: { userId: string }): Promise<void> {
    await this.#answerApplication('coGuest.acceptApplication', params.userId);
  }

  /** Reject an application; silent no-op like {@link acceptApplication}. */
  async rejectApplication(params: { userId: string }): Promise<void> {
    await this.#answerApplication('coGuest.rejectApplication', params.userId);
  }

  /** Invite an audience member to a seat (-1 = any); `timeout` in seconds, 0 = none. */
  async inviteToSeat(params: { userId: string; seatIndex: number; timeout: number }): Promise<void> {
    const { invitation } = await this.ctx.request('coGuest.invite', {
      userId: params.userId,
      seatIndex: params.seatIndex,
      timeout: params.timeout,
    });
    if (this.#ended.has(invitation.requestId)) return;
    this.#invitations.set(invitation.guest.userId, {
      requestId: invitation.requestId,
      user: toUser(invitation.guest),
      deadline: invitation.deadline,
    });
    this.#publish();
  }

  /** Withdraw an invitation; no-op when none is pending for `inviteeId`. */
  async cancelInvitation(params: { inviteeId: string }): Promise<void> {
    const pending = this.#invitations.get(params.inviteeId);
    if (!pending) return;
    await this.ctx.request('coGuest.cancelInvitation', { inviteeId: params.inviteeId });
    this.#remove(this.#invitations, params.inviteeId, pending.requestId);
  }

  /** Accept the invitation of `inviterId` (you take the seat); no-op when there is none from that host. */
  async acceptInvitation(params: { inviterId: string }): Promise<void> {
    await this.#answerInvitation('coGuest.acceptInvitation', params.inviterId);
  }

  /** Reject the invitation of `inviterId`; no-op when there is none. */
  async rejectInvitation(params: { inviterId: string }): Promise<void> {
    await this.#answerInvitation('coGuest.rejectInvitation', params.inviterId);
  }

  /** Leave your seat and stay in the live as audience. */
  async disConnect(): Promise<void> {
    await this.ctx.request('coGuest.disconnect', {});
  }

  async #answerApplication(type: 'coGuest.acceptApplication' | 'coGuest.rejectApplication', userId: string) {
    const pending = this.#applications.get(userId);
    if (!pending) return;
    try {
      await this.ctx.request(type, { userId });
    } catch (error) {
      if (!isOnseatError(error, 'REQUEST_ID_INVALID')) throw error;
    }
    this.#remove(this.#applications, userId, pending.requestId);
  }

  async #answerInvitation(type: 'coGuest.acceptInvitation' | 'coGuest.rejectInvitation', inviterId: string) {
    const pending = this.#invitations.get(inviterId);
    if (!pending) return;
    await this.ctx.request(type, { inviterId });
    this.#remove(this.#invitations, inviterId, pending.requestId);
  }

  #onSnapshot(snapshot: LiveSnapshot): void {
    const me = this.ctx.userId;
    this.#applications.clear();
    this.#invitations.clear();
    for (const a of snapshot.applications) {
      this.#applications.set(a.user.userId, { requestId: a.requestId, user: toUser(a.user), deadline: a.deadline });
    }
    for (const i of snapshot.invitations) {
      const mine = i.guest.userId === me;
      const other = mine ? i.host : i.guest;
      this.#invitations.set(other.userId, { requestId: i.requestId, user: toUser(other), deadline: i.deadline });
    }
    this.setState({ connected: toConnected(snapshot.seats, snapshot.live.liveId) });
    this.#publish();
  }

  #onEvent(e: AnyLiveEvent): void {
    const me = this.ctx.userId;
    if (e.type === 'seat.listChanged') return this.setState({ connected: toConnected(e.payload.seats, e.liveId) });
    if (e.type === 'seat.kickedOff') {
      return this.emit('onKickedOffSeat', { seatIndex: e.payload.seatIndex, hostUser: toUser(e.payload.hostUser) });
    }
    if (e.type === 'coGuest.applicationReceived') {
      const { requestId, user, deadline } = e.payload.application;
      this.#applications.set(user.userId, { requestId, user: toUser(user), deadline });
      this.#publish();
      return this.emit('onGuestApplicationReceived', { guestUser: toUser(user) });
    }
    if (e.type.startsWith('coGuest.application')) return this.#onApplicationEnded(e, me);
    if (e.type === 'coGuest.invitationReceived') {
      const { requestId, host, guest, deadline } = e.payload.invitation;
      const mine = guest.userId === me;
      const other = mine ? host : guest;
      this.#invitations.set(other.userId, { requestId, user: toUser(other), deadline });
      this.#publish();
      if (mine) this.emit('onHostInvitationReceived', { hostUser: toUser(host) });
      return;
    }
    if (e.type.startsWith('coGuest.invitation')) this.#onInvitationEnded(e, me);
  }

  /** applicationCancelled / Responded / TimedOut / Failed. */
  #onApplicationEnded(e: AnyLiveEvent, me: string): void {
    if (!('application' in e.payload)) return;
    const { requestId, user } = e.payload.application;
    const guestUser = toUser(user);
    const mine = user.userId === me;
    this.#remove(this.#applications, user.userId, requestId);
    if (e.type === 'coGuest.applicationCancelled') {
      if (!mine) this.emit('onGuestApplicationCancelled', { guestUser });
    } else if (e.type === 'coGuest.applicationResponded') {
      const hostUser = toUser(e.payload.hostUser);
      if (mine) this.emit('onGuestApplicationResponded', { isAccept: e.payload.isAccept, hostUser });
      else if (hostUser.userId !== me) this.emit('onGuestApplicationProcessedByOtherHost', { guestUser, hostUser });
    } else if (e.type === 'coGuest.applicationTimedOut') {
      if (mine) this.emit('onGuestApplicationNoResponse', { reason: 0 });
    } else if (e.type === 'coGuest.applicationFailed') {
      const hostUser = toUser(e.payload.hostUser);
      if (mine) this.emit('onGuestApplicationError', { code: e.payload.code, message: applicationErrorMessage(e.payload.code) });
      else if (hostUser.userId !== me) this.emit('onGuestApplicationProcessedByOtherHost', { guestUser, hostUser });
    }
  }

  /** invitationCancelled / Responded / TimedOut / Failed. */
  #onInvitationEnded(e: AnyLiveEvent, me: string): void {
    if (!('invitation' in e.payload)) return;
    const { requestId, host, guest } = e.payload.invitation;
    const mine = guest.userId === me;
    this.#remove(this.#invitations, mine ? host.userId : guest.userId, requestId);
    if (e.type === 'coGuest.invitationCancelled') {
      if (mine) this.emit('onHostInvitationCancelled', { hostUser: toUser(host) });
    } else if (e.type === 'coGuest.invitationResponded') {
      if (host.userId === me) this.emit('onHostInvitationResponded', { isAccept: e.payload.isAccept, guestUser: toUser(guest) });
    } else if (e.type === 'coGuest.invitationTimedOut') {
      if (host.userId === me) this.emit('onHostInvitationNoResponse', { guestUser: toUser(guest), reason: 0 });
    }
  }

  /** Forget a request (by key, only if it is still the same request) and remember that it ended. */
  #remove(map: Map<string, Pending>, key: string, requestId: string): void {
    this.#ended.add(requestId);
    if (this.#ended.size > ENDED_KEPT) this.#ended.delete(this.#ended.values().next().value!);
    const current = map.get(key);
    if (current && current.requestId === requestId) map.delete(key);
    this.#publish();
  }

  /** A server deadline in this machine's clock (null stays null). */
  #local(deadline: number | null): number | null {
    const client = this.ctx.client;
    return deadline === null || !client ? deadline : client.toLocalTime(deadline);
  }

  #publish(): void {
    this.setState({
      applicants: [...this.#applications.values()].map((p) => p.user),
      invitees: [...this.#invitations.values()].map((p) => p.user),
      applicationDeadlines: new Map([...this.#applications].map(([id, p]) => [id, this.#local(p.deadline)])),
      invitationDeadlines: new Map([...this.#invitations].map(([id, p]) => [id, this.#local(p.deadline)])),
    });
  }
}
