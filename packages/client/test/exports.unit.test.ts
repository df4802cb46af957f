import { describe, expect, it } from 'vitest';
import * as protocol from '@onseat/protocol';
import * as client from '../src/index.js';

/** The named members of a TypeScript enum (without the reverse entries of numeric enums). */
function members(e: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(e).filter(([k]) => !/^-?\d+$/.test(k)));
}

describe('public exports', () => {
  it("enums are TypeScript enums whose values equal the protocol's where both have the concept", () => {
    expect(client.DeviceStatus[1]).toBe('On');
    expect(client.LoginStatus[client.LoginStatus.LOGINED]).toBe('LOGINED');
    expect(members(client.Role)).toEqual(protocol.Role);
    expect(members(client.DeviceStatus)).toEqual(protocol.DeviceStatus);
    expect(members(client.MoveSeatPolicy)).toEqual(protocol.MoveSeatPolicy);
    expect(members(client.DeviceControlPolicy)).toEqual(protocol.DeviceControlPolicy);
    expect(members(client.SeatLayoutTemplate)).toEqual(protocol.SeatLayoutTemplate);
    expect([client.TUISeatMode.kFreeToTake, client.TUISeatMode.kApplyToTake]).toEqual([protocol.SeatMode.FreeToTake, protocol.SeatMode.ApplyToTake]);
    expect([client.LiveEndedReason.endedByHost, client.LiveEndedReason.endedByServer]).toEqual([
      protocol.LiveEndedReason.EndedByHost,
      protocol.LiveEndedReason.EndedByServer,
    ]);
    for (const [name, code] of Object.entries(members(client.SeatApplicationErrorCode))) {
      if (name === 'EMPTY_SEAT_LIST') continue; // AtomicX lists it; onseat never sends it
      expect([name, protocol.Errors[name as keyof typeof protocol.Errors].code]).toEqual([name, code]);
    }
  });

  it('lists the public names (a removed export breaks this test)', () => {
    expect(Object.keys(client)).toEqual(
      expect.arrayContaining([
        'CoGuestStore',
        'DeviceControlPolicy',
        'DeviceStatus',
        'EventHub',
        'GuestEvent',
        'HostEvent',
        'LiveAudienceEvent',
        'LiveAudienceStore',
        'LiveClient',
        'LiveEndedReason',
        'LiveKickedOutReason',
        'LiveListEvent',
        'LiveListStore',
        'LiveSeatEvent',
        'LiveSeatStore',
        'LiveType',
        'LoginEvent',
        'LoginStatus',
        'LoginStore',
        'MoveSeatPolicy',
        'NoResponseReason',
        'OnseatContext',
        'OnseatError',
        'Role',
        'SeatApplicationErrorCode',
        'SeatLayoutTemplate',
        'Store',
        'SuspendStatus',
        'TUISeatMode',
        'createOnseatClient',
        'isOnseatError',
        'signalUrl',
      ]),
    );
  });

  it('enums carry the AtomicX values', () => {
    expect(members(client.LoginStatus)).toEqual({ UNKNOWN: 0, LOGINED: 1 });
    expect(members(client.LoginEvent)).toEqual({ onLoginExpired: 'onLoginExpired', onKickedOffline: 'onKickedOffline' });
    expect(members(client.LiveListEvent)).toEqual({ onLiveEnded: 'onLiveEnded', onKickedOutOfLive: 'onKickedOutOfLive' });
    expect(members(client.LiveEndedReason)).toEqual({ endedByHost: 1, endedByServer: 2 });
    expect(members(client.LiveKickedOutReason)).toEqual({
      byAdmin: 0,
      byLoggedOnOtherDevice: 1,
      byServer: 2,
      forNetworkDisconnected: 3,
      forJoinRoomStatusInvalidDuringOffline: 4,
      forCountOfJoinedRoomsExceedLimit: 5,
    });
    expect(members(client.TUISeatMode)).toEqual({ kFreeToTake: 1, kApplyToTake: 2 });
    expect(members(client.SeatLayoutTemplate)).toEqual({
      VideoDynamicGrid9Seats: 600,
      VideoDynamicFloat7Seats: 601,
      VideoFixedGrid9Seats: 800,
      VideoFixedFloat7Seats: 801,
      VideoLandscape4Seats: 200,
    });
    expect(Object.keys(client.LiveSeatEvent).every((k) => String(client.LiveSeatEvent[k as keyof typeof client.LiveSeatEvent]) === k)).toBe(true);
    expect(Object.keys(client.LiveSeatEvent)).toHaveLength(4);
    expect(members(client.MoveSeatPolicy)).toEqual({ AbortWhenOccupied: 0, ForceReplace: 1, SwapPosition: 2 });
    expect(members(client.DeviceControlPolicy)).toEqual({ UnlockOnly: 1 });
    expect(members(client.Role)).toEqual({ Owner: 0, Administrator: 1, GeneralUser: 2 });
    expect(Object.values(client.HostEvent)).toEqual([
      'onGuestApplicationReceived',
      'onGuestApplicationCancelled',
      'onGuestApplicationProcessedByOtherHost',
      'onHostInvitationResponded',
      'onHostInvitationNoResponse',
    ]);
    expect(Object.values(client.GuestEvent)).toEqual([
      'onHostInvitationReceived',
      'onHostInvitationCancelled',
      'onGuestApplicationResponded',
      'onGuestApplicationNoResponse',
      'onGuestApplicationError',
      'onKickedOffSeat',
    ]);
    for (const e of [client.HostEvent, client.GuestEvent]) for (const [k, v] of Object.entries(e)) expect(v).toBe(k);
    expect(members(client.NoResponseReason)).toEqual({ timeout: 0, alreadySeated: 1 });
    expect(client.SeatApplicationErrorCode).toMatchObject({
      MAX_SEAT_COUNT_LIMIT: -2340,
      SEAT_INDEX_NOT_EXIST: -2344,
      SEAT_LOCKED: 100200,
      ALL_SEAT_OCCUPIED: 100205,
      USER_ALREADY_ON_SEAT: 100210,
      EMPTY_SEAT_LIST: 100251,
    });
    expect(members(client.LiveAudienceEvent)).toEqual({
      onOwnerJoined: 'onOwnerJoined',
      onOwnerLeft: 'onOwnerLeft',
      onAdminJoined: 'onAdminJoined',
      onAdminLeft: 'onAdminLeft',
      onAudienceJoined: 'onAudienceJoined',
      onAudienceLeft: 'onAudienceLeft',
      onAudienceMessageDisabled: 'onAudienceMessageDisabled',
    });
    expect(client.BarrageType.text).toBe(0);
    expect(client.BarrageType.custom).toBe(1);
    expect(client.BarrageEvent.onBarrageReceived).toBe('onBarrageReceived');
    expect(client.BarrageEvent.onCustomMessageReceived).toBe('onCustomMessageReceived');
    expect(members(client.LiveGiftEvents)).toEqual({
      ON_RECEIVE_GIFT_MESSAGE: 'ON_RECEIVE_GIFT_MESSAGE',
      ON_GIFT_COUNT_CHANGED: 'ON_GIFT_COUNT_CHANGED',
      ON_RECEIVE_LIKES_MESSAGE: 'ON_RECEIVE_LIKES_MESSAGE',
    });
    expect(members(client.DeviceStatus)).toEqual({ Off: 0, On: 1 });
  });

  it('createOnseatClient gives independent store sets with no client before login', () => {
    const one = client.createOnseatClient({ serverUrl: 'http://127.0.0.1:1' });
    const two = client.createOnseatClient({ serverUrl: 'http://127.0.0.1:1' });
    expect(one.client).toBeNull();
    expect(one.coGuest).not.toBe(two.coGuest);
    expect(one.coGuest.getSnapshot()).toEqual({
      connected: [],
      applicants: [],
      invitees: [],
      candidates: [],
      applicationDeadlines: new Map(),
      invitationDeadlines: new Map(),
    });
    expect(one.liveSeat.getSnapshot().seatList).toEqual([]);
    expect(one.liveAudience.getSnapshot()).toEqual({ audienceList: [], audienceCount: 0, messageBannedUserList: [] });
    expect(one.barrage.getSnapshot()).toEqual({ messageList: [] });
    expect(one.liveGift.getSnapshot()).toMatchObject({ giftInfoList: [], totalLikeCount: 0 });
  });
});
