import type { CoGuestEventMap, CoGuestStore, GuestEvent, HostEvent, LiveUserInfo, SeatUserInfo } from '@onseat/client';
import { ref, type ComputedRef, type Ref } from 'vue';
import type { CoGuestEvent, CoHostEvent } from '../enums.js';
import { atomicxRef, fieldRef, snapshotRef } from '../reactive.js';

/**
 * A co-guest event name: a {@link HostEvent} (host side) or a {@link GuestEvent} (guest side), or the same event
 * under the documentation's names (`CoGuestEvent.*`, `CoHostEvent.onGuestApplication*`).
 */
export type CoGuestEventName = HostEvent | GuestEvent | CoGuestEvent | Extract<CoHostEvent, keyof CoGuestEventMap>;

/** Payload of each co-guest event (AtomicX `CoGuestEventInfoMap`). */
export type CoGuestEventInfoMap = CoGuestEventMap;

/** Callback of co-guest event `K` (AtomicX `CoGuestEventCallback`). */
export type CoGuestEventCallback<K extends CoGuestEventName = CoGuestEventName> = (eventInfo: CoGuestEventMap[K]) => void;

/** What `useCoGuestState()` returns (AtomicX CoGuestState: applications and invitations to take a seat). */
export interface CoGuestState {
  /** Users on seats, the owner included (derived from the seat list). */
  connected: ComputedRef<SeatUserInfo[]>;
  /** Host: pending applicants. Audience: yourself while your own application is pending. */
  applicants: ComputedRef<LiveUserInfo[]>;
  /** Host: users you invited. Audience: the hosts that invited you (so `inviterId = invitees[i].userId`). */
  invitees: ComputedRef<LiveUserInfo[]>;
  /** Always empty (as in AtomicX for Web). */
  candidates: Ref<never[]>;
  /** onseat extension: when each pending application times out, by applicant userId (epoch ms; null = never). */
  applicationDeadlines: ComputedRef<ReadonlyMap<string, number | null>>;
  /** onseat extension: when each pending invitation times out, keyed like `invitees` (epoch ms; null = never). */
  invitationDeadlines: ComputedRef<ReadonlyMap<string, number | null>>;
  /**
   * Audience: ask the hosts for a seat (`seatIndex` -1 = any; `timeout` in seconds, 0 = none). Resolves once sent;
   * the answer arrives as `onGuestApplicationResponded`, `onGuestApplicationNoResponse` or `onGuestApplicationError`.
   */
  applyForSeat: (params: { seatIndex: number; timeout: number }) => Promise<void>;
  /** Audience: withdraw your pending application (hosts get `onGuestApplicationCancelled`); no-op when none. */
  cancelApplication: () => Promise<void>;
  /** Host: accept an application (the applicant is seated). Silent no-op when the user is not in `applicants`. */
  acceptApplication: (params: { userId: string }) => Promise<void>;
  /** Host: reject an application. Silent no-op when the user is not in `applicants`. */
  rejectApplication: (params: { userId: string }) => Promise<void>;
  /** Host: invite an audience member (`seatIndex` -1 = any; `timeout` in seconds, 0 = none). */
  inviteToSeat: (params: { userId: string; seatIndex: number; timeout: number }) => Promise<void>;
  /** Host: withdraw an invitation (the invitee gets `onHostInvitationCancelled`); no-op when none. */
  cancelInvitation: (params: { inviteeId: string }) => Promise<void>;
  /** Audience: accept the invitation of `inviterId` and take the seat; no-op when there is none. */
  acceptInvitation: (params: { inviterId: string }) => Promise<void>;
  /** Audience: reject the invitation of `inviterId`; no-op when there is none. */
  rejectInvitation: (params: { inviterId: string }) => Promise<void>;
  /** Guest: leave your seat and stay in the live as audience. */
  disConnect: () => Promise<void>;
  /** Register a callback for a HostEvent or GuestEvent (runs synchronously, in registration order). */
  subscribeEvent: <K extends CoGuestEventName>(event: K, callback: (eventInfo: CoGuestEventMap[K]) => void) => void;
  /** Remove a callback (same function reference). */
  unsubscribeEvent: <K extends CoGuestEventName>(event: K, callback: (eventInfo: CoGuestEventMap[K]) => void) => void;
}

/** Build the CoGuestState of one onseat instance. */
export function createCoGuestState(store: CoGuestStore): CoGuestState {
  const snapshot = snapshotRef(store);
  return {
    connected: atomicxRef(snapshot, 'connected'),
    applicants: atomicxRef(snapshot, 'applicants'),
    invitees: atomicxRef(snapshot, 'invitees'),
    candidates: ref([]),
    applicationDeadlines: fieldRef(snapshot, 'applicationDeadlines'),
    invitationDeadlines: fieldRef(snapshot, 'invitationDeadlines'),
    applyForSeat: (params) => store.applyForSeat(params),
    cancelApplication: () => store.cancelApplication(),
    acceptApplication: (params) => store.acceptApplication(params),
    rejectApplication: (params) => store.rejectApplication(params),
    inviteToSeat: (params) => store.inviteToSeat(params),
    cancelInvitation: (params) => store.cancelInvitation(params),
    acceptInvitation: (params) => store.acceptInvitation(params),
    rejectInvitation: (params) => store.rejectInvitation(params),
    disConnect: () => store.disConnect(),
    subscribeEvent: (event, callback) => store.subscribeEvent(event, callback),
    unsubscribeEvent: (event, callback) => store.unsubscribeEvent(event, callback),
  };
}
