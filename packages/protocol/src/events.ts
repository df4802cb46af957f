import { z } from 'zod';
import { ApplicationInfo, AudienceInfo, Barrage, GiftInfo, GiftTotals, InvitationInfo, LiveInfo, LiveUserInfo, SeatInfo } from './models.js';

const mediaKind = z.enum(['audio', 'video']);
const cancelReason = z.enum(['cancelled', 'userLeft', 'superseded', 'liveEnded']);

/**
 * Every event the server pushes, by type. Who receives it is noted per event:
 * "hosts" = the owner and administrators of the live; "all" = every member.
 */
export const Events = {
  /** all: the live ended (owner called live.end, or the server ended it). */
  'live.ended': z.object({ liveId: z.string(), reason: z.union([z.literal(1), z.literal(2)]) }),
  /** the kicked user: removed from the live (by an admin, or logged in elsewhere). */
  'live.kickedOut': z.object({ liveId: z.string(), reason: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]) }),
  /** all: live info changed. */
  'live.infoChanged': z.object({ live: LiveInfo }),
  /** all: metadata keys changed (only changed keys; empty string = deleted). */
  'live.metadataChanged': z.object({ metadata: z.record(z.string(), z.string()) }),

  /** all: the seat list changed (full list). */
  'seat.listChanged': z.object({ seats: z.array(SeatInfo) }),
  /** the guest: a host kicked them off their seat. */
  'seat.kickedOff': z.object({ seatIndex: z.number().int(), hostUser: LiveUserInfo }),

  /** hosts: a new application. */
  'coGuest.applicationReceived': z.object({ application: ApplicationInfo }),
  /** hosts and the applicant: the application was withdrawn without an answer. */
  'coGuest.applicationCancelled': z.object({ application: ApplicationInfo, reason: cancelReason }),
  /** hosts and the applicant: a host accepted or rejected it. On accept the seat is already the applicant's. */
  'coGuest.applicationResponded': z.object({
    application: ApplicationInfo,
    isAccept: z.boolean(),
    hostUser: LiveUserInfo,
    seatIndex: z.number().int(),
  }),
  /** hosts and the applicant: nobody answered before the deadline. */
  'coGuest.applicationTimedOut': z.object({ application: ApplicationInfo }),
  /** hosts and the applicant: a host accepted but the seat could not be given (e.g. all seats occupied). */
  'coGuest.applicationFailed': z.object({
    application: ApplicationInfo,
    hostUser: LiveUserInfo,
    code: z.number().int(),
    message: z.string(),
  }),

  /** the invitee and hosts: a host invited an audience member. */
  'coGuest.invitationReceived': z.object({ invitation: InvitationInfo }),
  /** the invitee and hosts: the invitation was withdrawn without an answer. */
  'coGuest.invitationCancelled': z.object({ invitation: InvitationInfo, reason: cancelReason }),
  /** the invitee and hosts: the invitee accepted (seat already theirs) or rejected. */
  'coGuest.invitationResponded': z.object({
    invitation: InvitationInfo,
    isAccept: z.boolean(),
    seatIndex: z.number().int(),
  }),
  /** the invitee and hosts: no answer before the deadline. */
  'coGuest.invitationTimedOut': z.object({ invitation: InvitationInfo }),
  /** the invitee and hosts: accepted, but the seat could not be given. */
  'coGuest.invitationFailed': z.object({ invitation: InvitationInfo, code: z.number().int(), message: z.string() }),

  /** hosts (all members while the audience is small): someone joined. */
  'audience.joined': z.object({ user: AudienceInfo }),
  /** hosts (all members while the audience is small): someone left. */
  'audience.left': z.object({ user: AudienceInfo }),
  /** all: member count changed (throttled). */
  'audience.countChanged': z.object({ count: z.number().int().nonnegative() }),
  /** all: a member became or stopped being an administrator. */
  'audience.roleChanged': z.object({ user: AudienceInfo }),
  /** like audience.joined: a member changed their name or avatar (user.setSelfInfo). */
  'audience.memberChanged': z.object({ user: AudienceInfo }),

  /** all: the owner came back into their live (AtomicX onOwnerJoined); not sent when the live starts. */
  'audience.ownerJoined': z.object({ user: AudienceInfo }),
  /** all: the owner left their live, which goes on without them for a while (AtomicX onOwnerLeft). */
  'audience.ownerLeft': z.object({ user: AudienceInfo }),
  /** all: a host banned a member from chatting, or lifted the ban. */
  'audience.messageDisabledChanged': z.object({ user: LiveUserInfo, isDisable: z.boolean() }),

  /**
   * all (seq 0, never logged or replayed): chat, gifts and likes of the live since the last batch, at most one frame per
   * member per server tick. `messages` are in `sequence` order; `likes` is the total (sent at most every 500 ms) with
   * the last user who liked.
   */
  'chat.batch': z.object({
    messages: z.array(Barrage).optional(),
    gifts: z.array(z.object({ sender: LiveUserInfo, giftInfo: GiftInfo, giftCount: z.number().int().positive() })).optional(),
    giftTotals: GiftTotals.optional(),
    likes: z.object({ totalLikesReceived: z.number().int().nonnegative(), sender: LiveUserInfo }).optional(),
  }),

  /**
   * this member (seq 0, never replayed): the server's SDP offer for the subscribe transport; answer it with
   * `media.answer` and the same `revision`. `tracks` maps each receiving mid to the user who publishes it. Revisions
   * only grow for a member while in the live (also across new subscribe transports): only the newest can be answered.
   */
  'media.offer': z.object({
    revision: z.number().int().nonnegative(),
    sdp: z.string(),
    tracks: z.array(z.object({ mid: z.string(), userId: z.string(), kind: mediaKind })),
  }),
  /**
   * the publisher (seq 0): the server stopped forwarding one kind of the caller's media, because they are no longer
   * seated (`code` -2361/-2371) or an admin closed it (`code` -2360/-2370). Publish it again once allowed.
   */
  'media.publishRevoked': z.object({ kind: mediaKind, code: z.number().int(), message: z.string() }),
  /**
   * members who sent `media.watchStats {on: true}` (seq 0), every 2 s: how each publisher's media reaches the server
   * (what its RTCP receiver reports say): `upLoss` in % over the last 2 s, `jitter` and `rtt` in ms (-1: unknown).
   */
  'media.networkStats': z.object({
    users: z.array(z.object({ userId: z.string(), upLoss: z.number(), jitter: z.number(), rtt: z.number() })),
  }),
  /**
   * this member (seq 0, cluster): the live's media now runs on another node (its owner changed: the former one died,
   * froze or let go), so every transport to the former one is dead. Publish and subscribe again at once (the SDK does)
   * rather than waiting for ICE to notice.
   */
  'media.moved': z.object({}),
  /** subscribers (seq 0): audio levels of publishing users, 0–100, a few times a second while anyone is audible. */
  'media.audioLevels': z.object({ levels: z.array(z.object({ userId: z.string(), level: z.number() })) }),

  /** this connection: the same user logged in elsewhere; the socket closes next (not tied to a live). */
  'session.kickedOffline': z.object({ reason: z.string() }),
} as const;

export type EventType = keyof typeof Events;
export type EventPayload<T extends EventType> = z.output<(typeof Events)[T]>;
export type AnyEvent = { [T in EventType]: { type: T; payload: EventPayload<T> } }[EventType];
export const EVENT_TYPES = Object.keys(Events) as EventType[];
