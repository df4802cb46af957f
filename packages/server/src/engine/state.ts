import type { LiveUserInfo, SeatMode } from '@onseat/protocol';
import type { RequestStatus } from './requestMachine.js';

/** The persistent part of a live: everything except connections and timers. Plain data (JSON-safe). */
export interface LiveRecord {
  key: string;
  sdkAppId: number;
  liveId: string;
  liveName: string;
  notice: string;
  coverUrl: string;
  backgroundUrl: string;
  categoryList: number[];
  activityStatus: number;
  isPublicVisible: boolean;
  isMessageDisable: boolean;
  isGiftEnabled: boolean;
  isSeatEnabled: boolean;
  keepOwnerOnSeat: boolean;
  seatMode: SeatMode;
  layoutTemplate: number;
  owner: LiveUserInfo;
  createTime: number;
  totalViewerCount: number;
  admins: string[];
  metadata: Record<string, string>;
  seats: SeatRecord[];
  /** Pending applications (status 'pending' only; terminal ones are dropped). */
  applications: RequestRecord[];
  /** Pending invitations. */
  invitations: RequestRecord[];
  /** Last event seq used. */
  seq: number;
  // ---- chat, gifts and likes (optional: records stored before them load as empty) ----
  /** Members the hosts banned from chatting (`audience.disableSendMessage`). */
  messageBanned?: string[];
  /** Likes received in all. */
  likes?: number;
  /** Gifts received in all: how many, their worth in coins, and who sent any. */
  gifts?: GiftTotalsRecord;
}

export interface GiftTotalsRecord {
  sent: number;
  coins: number;
  senders: string[];
}

export interface SeatRecord {
  index: number;
  locked: boolean;
  occupant: OccupantRecord | null;
}

export interface OccupantRecord {
  userId: string;
  microphoneOn: boolean;
  cameraOn: boolean;
  /** Closed by an admin: the user cannot reopen until an admin unlocks it. */
  microphoneLocked: boolean;
  cameraLocked: boolean;
  since: number;
}

export interface RequestRecord {
  kind: 'application' | 'invitation';
  requestId: string;
  /** The applicant, or the invitee. */
  userId: string;
  /** The inviter (invitations only; '' for applications). */
  hostId: string;
  /** Requested seat, -1 = any. */
  seatIndex: number;
  createdAt: number;
  /** Epoch ms when it times out; null = never. Stored so a restart or takeover re-arms it. */
  deadline: number | null;
  status: RequestStatus;
}

/** A member as stored (no connection). */
export interface MemberRecord {
  user: LiveUserInfo;
  joinedAt: number;
}
