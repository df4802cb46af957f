import { z } from 'zod';
import { MAX_BARRAGE_DATA, MAX_BARRAGE_TEXT, MAX_REQUEST_TIMEOUT_SECONDS } from './version.js';
import {
  ApplicationInfo,
  AudienceInfo,
  Barrage,
  GiftCategory,
  InvitationInfo,
  LiveId,
  LiveInfo,
  LiveSnapshot,
  LiveUserInfo,
  SeatIndex,
  UserId,
} from './models.js';
import { EventFrame } from './frames.js';

/** Co-guest timeout in seconds; 0 = none. Rejects values that look like milliseconds. */
export const TimeoutSeconds = z
  .number()
  .int('timeout must be a whole number of seconds')
  .min(0, 'timeout must be >= 0 seconds (0 = no timeout)')
  .max(
    MAX_REQUEST_TIMEOUT_SECONDS,
    `timeout is in seconds (0 = none, at most ${MAX_REQUEST_TIMEOUT_SECONDS}); a value this large is probably milliseconds`,
  );

const seatNo = z.number().int().min(0).max(63);
const empty = z.object({});
const text = (max: number) => z.string().max(max);
const seatModeValue = z.union([z.literal(1), z.literal(2)]);
const deviceValue = z.enum(['microphone', 'camera']);
const deviceStatus = z.union([z.literal(0), z.literal(1)]);
/** An SDP blob (offer or answer); it must fit in one frame. */
const sdpText = z.string().min(1).max(60_000);

const liveEditable = {
  liveName: text(100).optional(),
  notice: text(500).optional(),
  coverUrl: text(2048).optional(),
  backgroundUrl: text(2048).optional(),
  categoryList: z.array(z.number().int()).max(20).optional(),
  activityStatus: z.number().int().optional(),
  isPublicVisible: z.boolean().optional(),
  isMessageDisable: z.boolean().optional(),
  isGiftEnabled: z.boolean().optional(),
};

/** Every request: its payload schema and its result schema. The map is the contract; both sides type from it. */
export const Requests = {
  /** First frame of every connection: authenticate. */
  'session.hello': {
    payload: z.object({
      protocolVersion: z.number().int(),
      sdkAppId: z.number().int().positive(),
      userId: UserId,
      userSig: z.string().min(1).max(4096),
    }),
    result: z.object({
      protocolVersion: z.number().int(),
      serverTime: z.number(),
      user: LiveUserInfo,
      /** How long the server keeps a dropped member's seat/application (ms). */
      reconnectGraceMs: z.number().int(),
      /** ICE servers (STUN/TURN) the client should use for media; absent = host candidates only. */
      iceServers: z
        .array(z.object({ urls: z.union([z.string(), z.array(z.string())]), username: z.string().optional(), credential: z.string().optional() }))
        .optional(),
    }),
  },
  'session.ping': { payload: empty, result: z.object({ serverTime: z.number() }) },
  'user.setSelfInfo': {
    payload: z.object({ userName: text(64).optional(), avatarUrl: text(2048).optional() }),
    result: z.object({ user: LiveUserInfo }),
  },

  'live.start': {
    payload: z.object({
      liveId: LiveId,
      ...liveEditable,
      seatMode: seatModeValue.optional(),
      /** Seat count (including the owner's seat 0). Ignored when `seatTemplate` is given. */
      maxSeatCount: z.number().int().min(0).optional(),
      seatTemplate: z.number().int().optional(),
      seatLayoutTemplateId: z.number().int().optional(),
      isSeatEnabled: z.boolean().optional(),
      keepOwnerOnSeat: z.boolean().optional(),
    }),
    result: z.object({ snapshot: LiveSnapshot }),
  },
  'live.join': { payload: z.object({ liveId: LiveId }), result: z.object({ snapshot: LiveSnapshot }) },
  'live.leave': { payload: empty, result: empty },
  'live.end': { payload: empty, result: empty },
  'live.list': {
    payload: z.object({ cursor: z.string().max(256).optional(), count: z.number().int().min(1).max(100).optional() }),
    result: z.object({ lives: z.array(LiveInfo), cursor: z.string() }),
  },
  'live.info': { payload: z.object({ liveId: LiveId }), result: z.object({ live: LiveInfo }) },
  'live.update': {
    payload: z.object({ ...liveEditable, layoutTemplate: z.number().int().optional() }),
    result: z.object({ live: LiveInfo }),
  },
  'live.setMetadata': {
    payload: z.object({ metadata: z.record(z.string().min(1).max(50), z.string()) }),
    result: empty,
  },
  'live.getMetadata': {
    payload: z.object({ keys: z.array(z.string()).max(10).optional() }),
    result: z.object({ metadata: z.record(z.string(), z.string()) }),
  },
  /** Catch up after a reconnect: the events after `sinceSeq`, or a snapshot when they are no longer kept. */
  'live.sync': {
    payload: z.object({ liveId: LiveId, sinceSeq: z.number().int().nonnegative() }),
    result: z.union([
      z.object({ mode: z.literal('events'), events: z.array(EventFrame) }),
      z.object({ mode: z.literal('snapshot'), snapshot: LiveSnapshot }),
    ]),
  },

  'seat.take': { payload: z.object({ seatIndex: seatNo }), result: z.object({ seatIndex: z.number().int() }) },
  'seat.leave': { payload: empty, result: empty },
  'seat.lock': { payload: z.object({ seatIndex: seatNo }), result: empty },
  'seat.unlock': { payload: z.object({ seatIndex: seatNo }), result: empty },
  'seat.kick': { payload: z.object({ userId: UserId }), result: empty },
  'seat.move': {
    payload: z.object({
      userId: UserId,
      targetIndex: seatNo,
      policy: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
    }),
    result: empty,
  },
  /** Admin force-closes a guest's device; sticky until openRemoteDevice. */
  'seat.closeRemoteDevice': { payload: z.object({ userId: UserId, device: deviceValue }), result: empty },
  /** Admin allows a guest to open the device again (unlock only; it does not turn it on). */
  'seat.openRemoteDevice': {
    payload: z.object({ userId: UserId, device: deviceValue, policy: z.literal(1).optional() }),
    result: empty,
  },
  /** The caller reports its own microphone/camera status (it opened/closed it). */
  'seat.reportDevice': {
    payload: z.object({ microphone: deviceStatus.optional(), camera: deviceStatus.optional() }),
    result: empty,
  },

  'coGuest.apply': {
    payload: z.object({ seatIndex: SeatIndex, timeout: TimeoutSeconds }),
    result: z.object({ application: ApplicationInfo }),
  },
  'coGuest.cancelApplication': { payload: empty, result: empty },
  'coGuest.acceptApplication': { payload: z.object({ userId: UserId }), result: z.object({ seatIndex: z.number().int() }) },
  'coGuest.rejectApplication': { payload: z.object({ userId: UserId }), result: empty },
  'coGuest.invite': {
    payload: z.object({ userId: UserId, seatIndex: SeatIndex, timeout: TimeoutSeconds }),
    result: z.object({ invitation: InvitationInfo }),
  },
  'coGuest.cancelInvitation': { payload: z.object({ inviteeId: UserId }), result: empty },
  'coGuest.acceptInvitation': { payload: z.object({ inviterId: UserId }), result: z.object({ seatIndex: z.number().int() }) },
  'coGuest.rejectInvitation': { payload: z.object({ inviterId: UserId }), result: empty },
  /** A guest leaves their seat and stays in the live as audience (AtomicX `disConnect`). */
  'coGuest.disconnect': { payload: empty, result: empty },

  'audience.list': {
    payload: z.object({ cursor: z.string().max(256).optional(), count: z.number().int().min(1).max(100).optional() }),
    result: z.object({ audience: z.array(AudienceInfo), cursor: z.string(), total: z.number().int() }),
  },
  'audience.setAdministrator': { payload: z.object({ userId: UserId }), result: empty },
  'audience.revokeAdministrator': { payload: z.object({ userId: UserId }), result: empty },
  'audience.kick': { payload: z.object({ userId: UserId }), result: empty },
  /** Ban (`isDisable: true`) or allow a member to chat (owner and admins; an admin cannot ban the owner or an admin). */
  'audience.disableSendMessage': { payload: z.object({ userId: UserId, isDisable: z.boolean() }), result: empty },
  /** Members banned from chatting in the caller's live. */
  'audience.messageBannedList': { payload: empty, result: z.object({ users: z.array(LiveUserInfo) }) },

  /**
   * Send a chat text to everyone in the live. Refused when the text is longer than the server's limit (default 200
   * characters), the sender is banned (-2381) or the live disabled chat (-2380), the sender is over their rate
   * (FREQ_LIMIT), or it contains a blocked word and the server rejects those (80001).
   */
  'barrage.sendText': {
    payload: z.object({
      text: z.string().min(1).max(MAX_BARRAGE_TEXT),
      extensionInfo: z.record(z.string().max(64), z.string().max(1024)).optional(),
    }),
    result: z.object({ message: Barrage }),
  },
  /** Send a custom (business) message; it reaches the others as `onCustomMessageReceived`, never `messageList`. */
  'barrage.sendCustom': {
    payload: z.object({ businessId: z.string().min(1).max(128), data: z.string().max(MAX_BARRAGE_DATA) }),
    result: z.object({ message: Barrage }),
  },

  /** The gift catalogue of the server (categories with their gifts). */
  'gift.list': { payload: empty, result: z.object({ categories: z.array(GiftCategory) }) },
  /** Send `count` of a gift from the catalogue; everyone receives it and the live's totals grow. */
  'gift.send': {
    payload: z.object({ giftId: z.string().min(1).max(128), count: z.number().int().min(1).max(9999) }),
    result: empty,
  },
  /** Like the live `count` times; everyone receives the new total at most every 500 ms. */
  'gift.like': {
    payload: z.object({ count: z.number().int().min(1).max(999).optional() }),
    result: z.object({ totalLikes: z.number().int().nonnegative() }),
  },

  /**
   * Publish (or renegotiate) the caller's own audio/video: `sdp` is an offer whose send-only m-sections carry the
   * tracks; the result is the server's answer. Only the owner and seated users may publish, and only kinds an admin
   * has not closed (-2360/-2361 microphone, -2370/-2371 camera).
   */
  'media.publish': { payload: z.object({ sdp: sdpText }), result: z.object({ sdp: z.string() }) },
  /** Stop publishing and close the caller's publish transport. */
  'media.unpublish': { payload: empty, result: empty },
  /**
   * Receive every published track of the live; the server's offers then arrive as `media.offer` events. Without
   * `restart` it starts a fresh subscribe transport (replacing any). `restart: 'offer'` keeps the transport and sends a
   * new offer for it (after an offer could not be answered or its answer was refused); it starts a fresh transport
   * when there is none.
   */
  'media.subscribe': { payload: z.object({ restart: z.enum(['offer']).optional() }), result: empty },
  /** Stop receiving and close the caller's subscribe transport. */
  'media.unsubscribe': { payload: empty, result: empty },
  /** The answer to the `media.offer` event with this `revision`. */
  'media.answer': {
    payload: z.object({ revision: z.number().int().nonnegative(), sdp: sdpText }),
    result: empty,
  },
  /**
   * Start (`on: true`) or stop receiving `media.networkStats` every 2 s: the server's view of each publisher's uplink.
   * Clients turn it on only while the app reads network quality.
   */
  'media.watchStats': { payload: z.object({ on: z.boolean() }), result: empty },
  /**
   * The sizes (device pixels) at which the caller renders other users' video now: the whole set, replacing the last
   * one (a user not listed has no size limit). The SFU sends each viewer the smallest simulcast layer that covers the
   * view (when its bandwidth allows), so a 160 px tile never receives the 1080p layer. Clients send it when a size
   * changes, at most twice a second.
   */
  'media.viewSize': {
    payload: z.object({
      views: z.array(z.object({ userId: UserId, width: z.number().int().min(0).max(16_384), height: z.number().int().min(0).max(16_384) })).max(64),
    }),
    result: empty,
  },
} as const;

export type RequestType = keyof typeof Requests;
export type RequestPayload<T extends RequestType> = z.input<(typeof Requests)[T]['payload']>;
export type ParsedRequestPayload<T extends RequestType> = z.output<(typeof Requests)[T]['payload']>;
export type RequestResult<T extends RequestType> = z.output<(typeof Requests)[T]['result']>;

export const REQUEST_TYPES = Object.keys(Requests) as RequestType[];

export function isRequestType(type: string): type is RequestType {
  return Object.prototype.hasOwnProperty.call(Requests, type);
}
