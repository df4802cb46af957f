import type {
  AudienceInfo as WireAudience,
  LiveInfo as WireLive,
  LiveUserInfo as WireUser,
  SeatInfo as WireSeat,
  SeatUserInfo as WireSeatUser,
} from '@onseat/protocol';
import type { AudienceInfo, LiveCanvas, LiveInfo, LiveUserInfo, SeatInfo, SeatUserInfo } from '../types.js';

/** `{userId, userName, avatarUrl}` of any user-like object. */
export function toUser(u: WireUser): LiveUserInfo {
  return { userId: u.userId, userName: u.userName, avatarUrl: u.avatarUrl };
}

/** The empty LiveInfo AtomicX uses after leaving a live (liveId ''). */
export function emptyLiveInfo(): LiveInfo {
  return {
    liveId: '',
    liveName: '',
    liveType: 0,
    liveDescription: '',
    notice: '',
    categoryList: [],
    coverUrl: '',
    backgroundUrl: '',
    liveOwner: { userId: '', userName: '', avatarUrl: '', customInfo: {} },
    currentViewerCount: 0,
    totalViewerCount: 0,
    createTime: 0,
    isMessageDisable: false,
    isMessageDisableForAllUser: false,
    isGiftEnabled: true,
    isPublicVisible: true,
    isSeatEnabled: true,
    keepOwnerOnSeat: true,
    seatMode: 2,
    maxSeatCount: 0,
    layoutTemplate: 0,
    activityStatus: 0,
    customInfo: {},
    seatTemplate: 200,
  };
}

/** Wire LiveInfo → AtomicX LiveInfo. */
export function toLiveInfo(live: WireLive): LiveInfo {
  return {
    liveId: live.liveId,
    liveName: live.liveName,
    liveType: 0,
    liveDescription: '',
    notice: live.notice,
    categoryList: [...live.categoryList],
    coverUrl: live.coverUrl,
    backgroundUrl: live.backgroundUrl,
    liveOwner: { ...toUser(live.liveOwner), customInfo: {} },
    currentViewerCount: live.currentViewerCount,
    totalViewerCount: live.totalViewerCount,
    createTime: live.createTime,
    isMessageDisable: live.isMessageDisable,
    isMessageDisableForAllUser: live.isMessageDisable,
    isGiftEnabled: live.isGiftEnabled,
    isPublicVisible: live.isPublicVisible,
    isSeatEnabled: live.isSeatEnabled,
    keepOwnerOnSeat: live.keepOwnerOnSeat,
    seatMode: live.seatMode,
    maxSeatCount: live.maxSeatCount,
    layoutTemplate: live.layoutTemplate,
    activityStatus: live.activityStatus,
    customInfo: {},
    seatTemplate: live.layoutTemplate || 200,
  };
}

/** The user of a seat (an empty seat gets userId ''). */
export function toSeatUser(user: WireSeatUser | null, liveId: string): SeatUserInfo {
  return {
    userId: user?.userId ?? '',
    userName: user?.userName ?? '',
    avatarUrl: user?.avatarUrl ?? '',
    liveId,
    role: user?.role ?? 2,
    microphoneStatus: user?.microphoneStatus ?? 0,
    cameraStatus: user?.cameraStatus ?? 0,
    allowOpenMicrophone: user?.allowOpenMicrophone ?? true,
    allowOpenCamera: user?.allowOpenCamera ?? true,
    onSeatTimestamp: user?.onSeatTimestamp ?? 0,
    userSuspendStatus: 0,
    customInfo: {},
  };
}

/** Wire seats → AtomicX v6 seat list (every seat present, sorted by index). */
export function toSeatList(seats: readonly WireSeat[], liveId: string): SeatInfo[] {
  return [...seats]
    .sort((a, b) => a.index - b.index)
    .map((s) => ({
      index: s.index,
      isLocked: s.isLocked,
      isAudioLocked: s.isAudioLocked,
      isVideoLocked: s.isVideoLocked,
      userInfo: toSeatUser(s.userInfo, liveId),
    }));
}

/** The users on seats (owner included), in seat order. */
export function toConnected(seats: readonly WireSeat[], liveId: string): SeatUserInfo[] {
  return [...seats]
    .sort((a, b) => a.index - b.index)
    .filter((s) => s.userInfo !== null)
    .map((s) => toSeatUser(s.userInfo, liveId));
}

/** Wire AudienceInfo → AtomicX AudienceInfo. */
export function toAudience(a: WireAudience): AudienceInfo {
  return {
    ...toUser(a),
    customInfo: {},
    userRole: a.role,
    isMessageDisabled: a.isMessageDisabled ?? false,
    joinedTimestamp: a.joinedTimestamp,
  };
}

/** Canvas size for a layout template (landscape templates are 200–599). */
export function canvasFor(layoutTemplate: number): LiveCanvas {
  const landscape = layoutTemplate >= 200 && layoutTemplate < 600;
  return landscape ? { width: 1920, height: 1080, background: '#000000' } : { width: 1080, height: 1920, background: '#000000' };
}
