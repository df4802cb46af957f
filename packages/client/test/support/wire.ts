/** Builders of wire objects (protocol shapes) for unit tests. */
import type { ApplicationInfo, AudienceInfo, InvitationInfo, LiveInfo, LiveSnapshot, LiveUserInfo, SeatInfo, SeatUserInfo } from '@onseat/protocol';

export const user = (userId: string): LiveUserInfo => ({ userId, userName: `${userId}-name`, avatarUrl: `https://a/${userId}.png` });

export const seatUser = (userId: string, extra: Partial<SeatUserInfo> = {}): SeatUserInfo => ({
  ...user(userId),
  role: 2,
  microphoneStatus: 0,
  cameraStatus: 0,
  allowOpenMicrophone: true,
  allowOpenCamera: true,
  onSeatTimestamp: 1000,
  ...extra,
});

export const seat = (index: number, occupant: SeatUserInfo | null = null, extra: Partial<SeatInfo> = {}): SeatInfo => ({
  index,
  isLocked: false,
  isAudioLocked: false,
  isVideoLocked: false,
  userInfo: occupant,
  ...extra,
});

/** Seats 0..count-1 with the owner on 0 and `others` (userId by index) seated. */
export const seats = (count: number, owner: string, others: Record<number, string> = {}): SeatInfo[] =>
  Array.from({ length: count }, (_, i) => seat(i, i === 0 ? seatUser(owner, { role: 0 }) : others[i] ? seatUser(others[i]) : null));

export const liveInfo = (liveId: string, owner: string, extra: Partial<LiveInfo> = {}): LiveInfo => ({
  liveId,
  liveName: `${liveId} name`,
  notice: '',
  coverUrl: '',
  backgroundUrl: '',
  categoryList: [],
  activityStatus: 0,
  isPublicVisible: true,
  isMessageDisable: false,
  isGiftEnabled: true,
  isSeatEnabled: true,
  keepOwnerOnSeat: true,
  seatMode: 2,
  maxSeatCount: 4,
  layoutTemplate: 600,
  liveOwner: user(owner),
  currentViewerCount: 1,
  totalViewerCount: 1,
  createTime: 1000,
  ...extra,
});

export const snapshot = (
  liveId: string,
  owner: string,
  self: { userId: string; role: 0 | 1 | 2 },
  extra: Partial<LiveSnapshot> = {},
): LiveSnapshot => ({
  seq: 10,
  live: liveInfo(liveId, owner),
  seats: seats(4, owner),
  applications: [],
  invitations: [],
  self,
  audienceCount: 1,
  metadata: {},
  ...extra,
});

export const application = (requestId: string, userId: string, seatIndex = -1): ApplicationInfo => ({
  requestId,
  user: user(userId),
  seatIndex,
  createdAt: 1000,
  deadline: null,
});

export const invitation = (requestId: string, host: string, guest: string, seatIndex = -1): InvitationInfo => ({
  requestId,
  host: user(host),
  guest: user(guest),
  seatIndex,
  createdAt: 1000,
  deadline: null,
});

export const audience = (userId: string, role: 0 | 1 | 2 = 2): AudienceInfo => ({ ...user(userId), role, joinedTimestamp: 1000 });
