import { z } from 'zod';

/** userId: letters, digits, `-` and `_` (as TRTC), 1–64 characters. */
export const UserId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'userId: 1-64 of A-Z a-z 0-9 - _');
/** liveId: 1–48 printable ASCII characters (TRTC roomId rule). */
export const LiveId = z.string().regex(/^[\x21-\x7e]{1,48}$/, 'liveId: 1-48 printable ASCII characters');
export const SeatIndex = z.number().int().min(-1).max(63);
export const Timestamp = z.number().int().nonnegative();
const roleValue = z.union([z.literal(0), z.literal(1), z.literal(2)]);
const deviceStatus = z.union([z.literal(0), z.literal(1)]);
const seatModeValue = z.union([z.literal(1), z.literal(2)]);

export const LiveUserInfo = z.object({
  userId: z.string(),
  userName: z.string(),
  avatarUrl: z.string(),
});
export type LiveUserInfo = z.infer<typeof LiveUserInfo>;

/** The user on a seat with their device state. */
export const SeatUserInfo = LiveUserInfo.extend({
  role: roleValue,
  microphoneStatus: deviceStatus,
  cameraStatus: deviceStatus,
  /** false while an admin keeps the microphone closed (closeRemoteMicrophone). */
  allowOpenMicrophone: z.boolean(),
  allowOpenCamera: z.boolean(),
  onSeatTimestamp: Timestamp,
});
export type SeatUserInfo = z.infer<typeof SeatUserInfo>;

export const SeatInfo = z.object({
  index: z.number().int().nonnegative(),
  isLocked: z.boolean(),
  isAudioLocked: z.boolean(),
  isVideoLocked: z.boolean(),
  userInfo: SeatUserInfo.nullable(),
});
export type SeatInfo = z.infer<typeof SeatInfo>;

export const LiveInfo = z.object({
  liveId: z.string(),
  liveName: z.string(),
  notice: z.string(),
  coverUrl: z.string(),
  backgroundUrl: z.string(),
  categoryList: z.array(z.number().int()),
  activityStatus: z.number().int(),
  isPublicVisible: z.boolean(),
  isMessageDisable: z.boolean(),
  isGiftEnabled: z.boolean(),
  isSeatEnabled: z.boolean(),
  keepOwnerOnSeat: z.boolean(),
  seatMode: seatModeValue,
  maxSeatCount: z.number().int().nonnegative(),
  layoutTemplate: z.number().int(),
  liveOwner: LiveUserInfo,
  currentViewerCount: z.number().int().nonnegative(),
  totalViewerCount: z.number().int().nonnegative(),
  createTime: Timestamp,
});
export type LiveInfo = z.infer<typeof LiveInfo>;

export const AudienceInfo = LiveUserInfo.extend({
  role: roleValue,
  joinedTimestamp: Timestamp,
  /** A host banned this member from chatting (absent = false). */
  isMessageDisabled: z.boolean().optional(),
});
export type AudienceInfo = z.infer<typeof AudienceInfo>;

/** A pending application (audience asks to take a seat). `deadline` is epoch ms, null = no timeout. */
export const ApplicationInfo = z.object({
  requestId: z.string(),
  user: LiveUserInfo,
  seatIndex: z.number().int(),
  createdAt: Timestamp,
  deadline: Timestamp.nullable(),
});
export type ApplicationInfo = z.infer<typeof ApplicationInfo>;

/** A pending invitation (a host asks an audience member to take a seat). */
export const InvitationInfo = z.object({
  requestId: z.string(),
  host: LiveUserInfo,
  guest: LiveUserInfo,
  seatIndex: z.number().int(),
  createdAt: Timestamp,
  deadline: Timestamp.nullable(),
});
export type InvitationInfo = z.infer<typeof InvitationInfo>;

/** A chat message (AtomicX `Barrage`). `sequence` counts per live, separately from event seqs. */
export const Barrage = z.object({
  liveId: z.string(),
  sender: LiveUserInfo,
  sequence: z.number().int().nonnegative(),
  timestampInSecond: z.number().int().nonnegative(),
  /** 0 = text, 1 = custom (AtomicX BarrageType). */
  messageType: z.union([z.literal(0), z.literal(1)]),
  textContent: z.string().optional(),
  extensionInfo: z.record(z.string(), z.string()).nullable().optional(),
  businessId: z.string().optional(),
  data: z.string().optional(),
});
export type Barrage = z.infer<typeof Barrage>;

/** One gift of the catalogue (AtomicX `GiftInfo`). `coins` is the price of one. */
export const GiftInfo = z.object({
  giftID: z.string(),
  name: z.string(),
  desc: z.string(),
  iconUrl: z.string(),
  resourceUrl: z.string(),
  level: z.number().int(),
  coins: z.number().int().nonnegative(),
  extensionInfo: z.record(z.string(), z.string()),
});
export type GiftInfo = z.infer<typeof GiftInfo>;

/** A category of the gift catalogue (AtomicX `GiftCategory`). */
export const GiftCategory = z.object({
  categoryID: z.string(),
  name: z.string(),
  desc: z.string(),
  extensionInfo: z.record(z.string(), z.string()),
  giftList: z.array(GiftInfo),
});
export type GiftCategory = z.infer<typeof GiftCategory>;

/** Gift totals of a live (AtomicX `GiftCountChanged` without the liveId). */
export const GiftTotals = z.object({
  totalGiftsSent: z.number().int().nonnegative(),
  totalGiftCoins: z.number().int().nonnegative(),
  totalUniqueGiftSenders: z.number().int().nonnegative(),
});
export type GiftTotals = z.infer<typeof GiftTotals>;

/**
 * Everything a member needs to render the live, as of `seq`. Hosts (owner, admins) see every pending
 * application and invitation; an audience member sees only their own.
 */
export const LiveSnapshot = z.object({
  seq: z.number().int().nonnegative(),
  live: LiveInfo,
  seats: z.array(SeatInfo),
  applications: z.array(ApplicationInfo),
  invitations: z.array(InvitationInfo),
  self: z.object({ userId: z.string(), role: roleValue }),
  audienceCount: z.number().int().nonnegative(),
  metadata: z.record(z.string(), z.string()),
  /** The last chat messages (text and custom), oldest first; at most the server's history size (default 50). */
  barrage: z.array(Barrage).optional(),
  /** Members the hosts have banned from chatting. */
  messageBannedUsers: z.array(LiveUserInfo).optional(),
  /** Likes the live has received in all. */
  totalLikes: z.number().int().nonnegative().optional(),
  giftTotals: GiftTotals.optional(),
});
export type LiveSnapshot = z.infer<typeof LiveSnapshot>;
