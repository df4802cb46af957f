/**
 * Every public name of @onseat/vue: the runtime exports (exact set), the AtomicX enum values, the members of each
 * composable, and (via vue-tsc over test/tsconfig.json, which includes this file) the exported types.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import * as stubs from '../src/unsupported.js';
import type {
  AVStatistics,
  AudienceInfo,
  AudienceItemSlotProps,
  Barrage,
  BarrageEventMap,
  BarrageSender,
  BarrageState,
  Gift,
  GiftCategory,
  GiftCountChanged,
  GiftInfo,
  LikesMessage,
  LiveGiftEventMap,
  LiveGiftState,
  MessageItemSlotProps,
  OnDidSendBarrage,
  OnWillSendBarrage,
  CoGuestEventCallback,
  CoGuestEventInfoMap,
  CoGuestEventMap,
  CoGuestEventName,
  CoGuestRequestInfo,
  CoGuestState,
  CreateLiveParams,
  DeviceState,
  EventCallback,
  FetchLiveListParams,
  JoinLiveParams,
  LiveAudienceEventMap,
  LiveAudienceState,
  LiveCanvas,
  LiveEndedEventInfo,
  LiveInfo,
  LiveKickedOutEventInfo,
  LiveListEventInfo,
  LiveListEventMap,
  LiveListState,
  LiveOwnerInfo,
  LiveSeatEventMap,
  LiveSeatState,
  LiveUserInfo,
  Logger,
  LoginEventMap,
  LoginParams,
  LoginState,
  LoginUserInfo,
  MoveUserToSeatParams,
  NetworkInfo,
  Onseat,
  OnseatClient,
  OnseatOptions,
  RegionInfo,
  SeatInfo,
  SeatUserInfo,
  SetSelfInfoParams,
  StartLiveParams,
  TUIDeviceInfo,
  UpdateLiveInfoParams,
  WebSocketConstructor,
} from '../src/index.js';

/** Every exported type, by name: removing one makes vue-tsc (second test) fail. */
export type PublicTypes = {
  AVStatistics: AVStatistics;
  AudienceInfo: AudienceInfo;
  AudienceItemSlotProps: AudienceItemSlotProps;
  Barrage: Barrage;
  BarrageEventMap: BarrageEventMap;
  BarrageSender: BarrageSender;
  BarrageState: BarrageState;
  Gift: Gift;
  GiftCategory: GiftCategory;
  GiftCountChanged: GiftCountChanged;
  GiftInfo: GiftInfo;
  LikesMessage: LikesMessage;
  LiveGiftEventMap: LiveGiftEventMap;
  LiveGiftState: LiveGiftState;
  MessageItemSlotProps: MessageItemSlotProps;
  OnDidSendBarrage: OnDidSendBarrage;
  OnWillSendBarrage: OnWillSendBarrage;
  CoGuestEventCallback: CoGuestEventCallback;
  CoGuestEventInfoMap: CoGuestEventInfoMap;
  CoGuestEventMap: CoGuestEventMap;
  CoGuestEventName: CoGuestEventName;
  CoGuestRequestInfo: CoGuestRequestInfo;
  CoGuestState: CoGuestState;
  CreateLiveParams: CreateLiveParams;
  DeviceState: DeviceState;
  EventCallback: EventCallback;
  FetchLiveListParams: FetchLiveListParams;
  JoinLiveParams: JoinLiveParams;
  LiveAudienceEventMap: LiveAudienceEventMap;
  LiveAudienceState: LiveAudienceState;
  LiveCanvas: LiveCanvas;
  LiveEndedEventInfo: LiveEndedEventInfo;
  LiveInfo: LiveInfo;
  LiveKickedOutEventInfo: LiveKickedOutEventInfo;
  LiveListEventInfo: LiveListEventInfo;
  LiveListEventMap: LiveListEventMap;
  LiveListState: LiveListState;
  LiveOwnerInfo: LiveOwnerInfo;
  LiveSeatEventMap: LiveSeatEventMap;
  LiveSeatState: LiveSeatState;
  LiveUserInfo: LiveUserInfo;
  Logger: Logger;
  LoginEventMap: LoginEventMap;
  LoginParams: LoginParams;
  LoginState: LoginState;
  LoginUserInfo: LoginUserInfo;
  MoveUserToSeatParams: MoveUserToSeatParams;
  NetworkInfo: NetworkInfo;
  Onseat: Onseat;
  OnseatClient: OnseatClient;
  OnseatOptions: OnseatOptions;
  RegionInfo: RegionInfo;
  SeatInfo: SeatInfo;
  SeatUserInfo: SeatUserInfo;
  SetSelfInfoParams: SetSelfInfoParams;
  StartLiveParams: StartLiveParams;
  TUIDeviceInfo: TUIDeviceInfo;
  UpdateLiveInfoParams: UpdateLiveInfoParams;
  WebSocketConstructor: WebSocketConstructor;
};

const RUNTIME_EXPORTS = [
  // composables and instances
  'useLoginState',
  'useLiveListState',
  'useLiveSeatState',
  'useCoGuestState',
  'useLiveAudienceState',
  'useDeviceState',
  'useLivePlayerState',
  'loginActions',
  'useBarrageState',
  'useLiveGiftState',
  'createOnseat',
  'getDefaultOnseat',
  'useOnseat',
  'ONSEAT_KEY',
  'MEDIA_NOT_AVAILABLE',
  'OnseatError',
  'isOnseatError',
  // kit plumbing
  'addI18n',
  'setLanguage',
  'getLanguage',
  'useUIKitModalState',
  'useRoomEngine',
  // components
  'LiveCoreView',
  'LiveView',
  'LIVE_STREAM_CONTENT_VIEW',
  'DefaultStreamViewUI',
  'StreamView',
  'useMediaPlayback',
  'CoGuestPanel',
  'LiveList',
  'Avatar',
  'DEFAULT_USER_AVATAR',
  'AudioSettingPanel',
  'VideoSettingPanel',
  'BarrageList',
  'BarrageInput',
  'LiveGift',
  'LiveAudienceList',
  // enums
  'BarrageType',
  'BarrageEvent',
  'LiveGiftEvents',
  'LoginStatus',
  'LoginEvent',
  'LiveListEvent',
  'LiveEndedReason',
  'LiveKickedOutReason',
  'TUISeatMode',
  'LiveType',
  'SeatLayoutTemplate',
  'LiveSeatEvent',
  'MoveSeatPolicy',
  'DeviceControlPolicy',
  'Role',
  'SuspendStatus',
  'HostEvent',
  'GuestEvent',
  'CoGuestEvent',
  'CoHostEvent',
  'NoResponseReason',
  'SeatApplicationErrorCode',
  'LiveAudienceEvent',
  'DeviceStatus',
  'DeviceError',
  'DeviceType',
  'AudioRoute',
  'MirrorType',
  'VideoQuality',
  'NetworkQuality',
  'TUIRole',
  'TUIErrorCode',
  'TUIRoomEvents',
  'LiveOrientation',
  'CoHostStatus',
  'CoHostLayoutTemplate',
  'MediaSettingDisplayMode',
  'PlayerControlButton',
  'PlayerControlEvent',
];

/** The named members of a TypeScript enum (without the reverse entries of numeric enums). */
function members(e: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(e).filter(([k]) => !/^-?\d+$/.test(k)));
}

describe('public surface', () => {
  it('exports exactly the listed runtime names', () => {
    // onseat's own names, plus the stubs of the AtomicX names onseat does not implement yet (src/unsupported.ts).
    expect(Object.keys(api).sort()).toEqual([...RUNTIME_EXPORTS, ...Object.keys(stubs)].sort());
  });

  it('exports the listed types (vue-tsc over the tests)', () => {
    const root = resolve(import.meta.dirname, '../../..');
    const r = spawnSync('npx', ['vue-tsc', '--noEmit', '-p', 'packages/vue/test/tsconfig.json'], { cwd: root, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 180_000);

  it('has the AtomicX enum values', () => {
    expect(members(api.LoginStatus)).toEqual({ UNKNOWN: 0, LOGINED: 1 });
    expect(members(api.LoginEvent)).toEqual({ onLoginExpired: 'onLoginExpired', onKickedOffline: 'onKickedOffline' });
    expect(members(api.LiveListEvent)).toEqual({ onLiveEnded: 'onLiveEnded', onKickedOutOfLive: 'onKickedOutOfLive' });
    expect(members(api.LiveEndedReason)).toEqual({ endedByHost: 1, endedByServer: 2 });
    expect(api.LiveKickedOutReason).toMatchObject({ byAdmin: 0, byLoggedOnOtherDevice: 1, byServer: 2, forNetworkDisconnected: 3 });
    expect(members(api.TUISeatMode)).toEqual({ kFreeToTake: 1, kApplyToTake: 2 });
    expect(members(api.SeatLayoutTemplate)).toEqual({
      VideoDynamicGrid9Seats: 600,
      VideoDynamicFloat7Seats: 601,
      VideoFixedGrid9Seats: 800,
      VideoFixedFloat7Seats: 801,
      VideoLandscape4Seats: 200,
    });
    expect(members(api.MoveSeatPolicy)).toEqual({ AbortWhenOccupied: 0, ForceReplace: 1, SwapPosition: 2 });
    expect(members(api.DeviceControlPolicy)).toEqual({ UnlockOnly: 1 });
    expect(members(api.Role)).toEqual({ Owner: 0, Administrator: 1, GeneralUser: 2 });
    expect(members(api.TUIRole)).toEqual({ kRoomOwner: 0, kAdministrator: 1, kGeneralUser: 2 });
    expect(members(api.NoResponseReason)).toEqual({ timeout: 0, alreadySeated: 1 });
    expect(members(api.DeviceStatus)).toEqual({ Off: 0, On: 1 });
    expect(members(api.BarrageType)).toEqual({ text: 0, custom: 1 });
    expect(members(api.BarrageEvent)).toEqual({ onBarrageReceived: 'onBarrageReceived', onCustomMessageReceived: 'onCustomMessageReceived' });
    expect(members(api.LiveGiftEvents)).toEqual({
      ON_RECEIVE_GIFT_MESSAGE: 'ON_RECEIVE_GIFT_MESSAGE',
      ON_GIFT_COUNT_CHANGED: 'ON_GIFT_COUNT_CHANGED',
      ON_RECEIVE_LIKES_MESSAGE: 'ON_RECEIVE_LIKES_MESSAGE',
    });
    expect(members(api.DeviceError)).toEqual({
      NoError: 0,
      NoDeviceDetected: 1,
      NoSystemPermission: 2,
      NotSupportCapture: 3,
      OccupiedError: 4,
      UnknownError: 5,
    });
    expect(members(api.DeviceType)).toEqual({ Microphone: 0, Camera: 1, ScreenShare: 2 });
    expect(members(api.AudioRoute)).toEqual({ Speakerphone: 0, Earpiece: 1 });
    expect(members(api.MirrorType)).toEqual({ Auto: 0, Enable: 1, Disable: 2 });
    expect(members(api.VideoQuality)).toEqual({ Quality360P: 1, Quality540P: 2, Quality720P: 3, Quality1080P: 4 });
    expect(members(api.NetworkQuality)).toEqual({ Unknown: 0, Excellent: 1, Good: 2, Poor: 3, Bad: 4, VeryBad: 5, Down: 6 });
    expect(members(api.LiveType)).toEqual({ kLive: 0, kChatRoom: 1 });
    expect(api.SeatApplicationErrorCode).toMatchObject({ SEAT_LOCKED: 100200, ALL_SEAT_OCCUPIED: 100205, USER_ALREADY_ON_SEAT: 100210 });
    expect(api.TUIErrorCode).toMatchObject({
      ERR_OPEN_MICROPHONE_NEED_PERMISSION_FROM_ADMIN: -2361,
      ERR_OPEN_CAMERA_NEED_PERMISSION_FROM_ADMIN: -2371,
      ERR_REQUEST_ID_INVALID: -2311,
      ERR_LIVE_DISCONNECTED: -1302,
      ERR_ALL_SEAT_OCCUPIED: 100205,
    });
  });

  it('CoGuestEvent / CoHostEvent carry the same strings as GuestEvent / HostEvent', () => {
    expect(api.CoGuestEvent).toEqual({ ...api.GuestEvent, ...api.HostEvent });
    expect(api.CoHostEvent).toMatchObject({ ...api.HostEvent });
    expect(api.CoHostEvent.onCoHostRequestReceived).toBe('onCoHostRequestReceived');
    expect(api.CoGuestEvent.onGuestApplicationResponded).toBe('onGuestApplicationResponded');
    expect(api.CoGuestEvent.onHostInvitationReceived).toBe('onHostInvitationReceived');
    expect(api.CoHostEvent.onGuestApplicationReceived).toBe('onGuestApplicationReceived');
    expect(api.CoHostEvent.onHostInvitationResponded).toBe('onHostInvitationResponded');
    expect(Object.keys(api.HostEvent).sort()).toEqual([
      'onGuestApplicationCancelled',
      'onGuestApplicationProcessedByOtherHost',
      'onGuestApplicationReceived',
      'onHostInvitationNoResponse',
      'onHostInvitationResponded',
    ]);
    expect(Object.keys(api.GuestEvent).sort()).toEqual([
      'onGuestApplicationError',
      'onGuestApplicationNoResponse',
      'onGuestApplicationResponded',
      'onHostInvitationCancelled',
      'onHostInvitationReceived',
      'onKickedOffSeat',
    ]);
  });

  it('each composable returns the AtomicX members', () => {
    const onseat = api.createOnseat({ logger: {} });
    const keys = (o: object) => Object.keys(o).sort();
    const events = ['subscribeEvent', 'unsubscribeEvent'];
    expect(keys(onseat.useLoginState())).toEqual(['loginUserInfo', 'loginStatus', 'login', 'logout', 'setSelfInfo', ...events].sort());
    expect(keys(onseat.useLiveListState())).toEqual(
      [
        'liveList',
        'liveListCursor',
        'currentLive',
        'startLive',
        'createLive',
        'joinLive',
        'leaveLive',
        'endLive',
        'fetchLiveList',
        'fetchLiveInfo',
        'updateLiveInfo',
        'queryMetaData',
        'updateLiveMetaData',
        'reset',
        ...events,
      ].sort(),
    );
    expect(keys(onseat.useLiveSeatState())).toEqual(
      [
        'seatList',
        'canvas',
        'speakingUsers',
        'networkQualities',
        'avStatistics',
        'takeSeat',
        'leaveSeat',
        'lockSeat',
        'unlockSeat',
        'unLockSeat',
        'kickUserOutOfSeat',
        'moveUserToSeat',
        'openRemoteCamera',
        'openRemoteMicrophone',
        'closeRemoteCamera',
        'closeRemoteMicrophone',
        'muteMicrophone',
        'unmuteMicrophone',
        'startPlayStream',
        'stopPlayStream',
        ...events,
      ].sort(),
    );
    expect(keys(onseat.useCoGuestState())).toEqual(
      [
        'connected',
        'applicants',
        'invitees',
        'candidates',
        'applicationDeadlines',
        'invitationDeadlines',
        'applyForSeat',
        'cancelApplication',
        'acceptApplication',
        'rejectApplication',
        'inviteToSeat',
        'cancelInvitation',
        'acceptInvitation',
        'rejectInvitation',
        'disConnect',
        ...events,
      ].sort(),
    );
    expect(keys(onseat.useLiveAudienceState())).toEqual(
      [
        'audienceList',
        'audienceCount',
        'fetchAudienceList',
        'setAdministrator',
        'revokeAdministrator',
        'kickUserOutOfRoom',
        'kickUserOutOfLive',
        'messageBannedUserList',
        'disableSendMessage',
        ...events,
      ].sort(),
    );
    expect(keys(onseat.useBarrageState())).toEqual(['messageList', 'sendTextMessage', 'sendCustomMessage', 'appendLocalTip', ...events].sort());
    expect(keys(onseat.useLiveGiftState())).toEqual(
      ['giftInfoList', 'totalLikeCount', 'sendGift', 'sendLikes', 'sendLike', 'refreshGiftList', 'getGiftList', 'setLanguage', ...events].sort(),
    );
    expect(keys(onseat.useDeviceState())).toEqual(
      [
        'microphoneStatus',
        'microphoneList',
        'currentMicrophone',
        'microphoneLastError',
        'captureVolume',
        'currentMicVolume',
        'isMicrophoneTesting',
        'testingMicVolume',
        'cameraStatus',
        'cameraList',
        'currentCamera',
        'cameraLastError',
        'isCameraTesting',
        'isCameraTestLoading',
        'isFrontCamera',
        'localMirrorType',
        'localVideoQuality',
        'speakerList',
        'currentSpeaker',
        'outputVolume',
        'currentAudioRoute',
        'isSpeakerTesting',
        'screenStatus',
        'screenLastError',
        'networkInfo',
        'openLocalMicrophone',
        'closeLocalMicrophone',
        'openLocalCamera',
        'closeLocalCamera',
        'startScreenShare',
        'stopScreenShare',
        'muteLocalAudio',
        'unmuteLocalAudio',
        'getMicrophoneList',
        'getCameraList',
        'getSpeakerList',
        'setCurrentMicrophone',
        'setCurrentCamera',
        'setCurrentSpeaker',
        'setCaptureVolume',
        'setOutputVolume',
        'setAudioRoute',
        'switchCamera',
        'switchMirror',
        'updateVideoQuality',
        'startMicrophoneTest',
        'stopMicrophoneTest',
        'startCameraTest',
        'stopCameraTest',
        'startSpeakerTest',
        'stopSpeakerTest',
      ].sort(),
    );
  });
});
