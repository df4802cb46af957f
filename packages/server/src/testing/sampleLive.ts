import type { LiveRecord } from '../engine/state.js';

/** The app of sample lives (tests). */
export const APP = 1400000001;
/** A second app (tests of per-app separation). */
export const OTHER_APP = 1400000002;

/** A minimal, valid live record. */
export function sampleLive(liveId: string, over: Partial<LiveRecord> = {}): LiveRecord {
  const sdkAppId = over.sdkAppId ?? APP;
  return {
    key: `${sdkAppId}:${liveId}`,
    sdkAppId,
    liveId,
    liveName: `name of ${liveId}`,
    notice: '',
    coverUrl: '',
    backgroundUrl: '',
    categoryList: [1, 2],
    activityStatus: 0,
    isPublicVisible: true,
    isMessageDisable: false,
    isGiftEnabled: true,
    isSeatEnabled: true,
    keepOwnerOnSeat: true,
    seatMode: 2,
    layoutTemplate: 600,
    owner: { userId: 'owner', userName: 'Owner', avatarUrl: '' },
    createTime: 1_700_000_000_000,
    totalViewerCount: 0,
    admins: [],
    metadata: {},
    seats: [
      { index: 0, locked: false, occupant: null },
      { index: 1, locked: false, occupant: null },
    ],
    applications: [],
    invitations: [],
    seq: 0,
    ...over,
  };
}
