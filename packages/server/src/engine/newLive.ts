import { MAX_SEAT_COUNT, SEAT_COUNT_BY_TEMPLATE, SeatLayoutTemplate, SeatMode, type LiveUserInfo, type ParsedRequestPayload } from '@onseat/protocol';
import { fail } from './EngineError.js';
import type { LiveRecord, SeatRecord } from './state.js';

/** Seats when startLive names neither a template nor a count: the 9-seat dynamic grid. */
export const DEFAULT_TEMPLATE = SeatLayoutTemplate.VideoDynamicGrid9Seats;

function seatLayout(p: ParsedRequestPayload<'live.start'>): { count: number; template: number } {
  if (p.isSeatEnabled === false) return { count: 0, template: p.seatTemplate ?? p.seatLayoutTemplateId ?? DEFAULT_TEMPLATE };
  const template = p.seatTemplate ?? p.seatLayoutTemplateId;
  if (template !== undefined) {
    const known = SEAT_COUNT_BY_TEMPLATE[template as SeatLayoutTemplate];
    // Unknown templates fall back to the landscape 4-seat layout, as AtomicX does.
    return known ? { count: known, template } : { count: 4, template: SeatLayoutTemplate.VideoLandscape4Seats };
  }
  if (p.maxSeatCount !== undefined) {
    if (p.maxSeatCount > MAX_SEAT_COUNT) fail('MAX_SEAT_COUNT_LIMIT', `maxSeatCount ${p.maxSeatCount} is above the limit of ${MAX_SEAT_COUNT}`);
    return { count: p.maxSeatCount, template: DEFAULT_TEMPLATE };
  }
  return { count: SEAT_COUNT_BY_TEMPLATE[DEFAULT_TEMPLATE], template: DEFAULT_TEMPLATE };
}

export function newLiveRecord(key: string, sdkAppId: number, owner: LiveUserInfo, p: ParsedRequestPayload<'live.start'>, now: number): LiveRecord {
  const { count, template } = seatLayout(p);
  const seats: SeatRecord[] = Array.from({ length: count }, (_, index) => ({ index, locked: false, occupant: null }));
  const keepOwnerOnSeat = p.keepOwnerOnSeat ?? true;
  const record: LiveRecord = {
    key,
    sdkAppId,
    liveId: p.liveId,
    liveName: p.liveName ?? '',
    notice: p.notice ?? '',
    coverUrl: p.coverUrl ?? '',
    backgroundUrl: p.backgroundUrl ?? '',
    categoryList: p.categoryList ?? [],
    activityStatus: p.activityStatus ?? 0,
    isPublicVisible: p.isPublicVisible ?? true,
    isMessageDisable: p.isMessageDisable ?? false,
    isGiftEnabled: p.isGiftEnabled ?? true,
    isSeatEnabled: count > 0,
    keepOwnerOnSeat,
    seatMode: p.seatMode ?? SeatMode.ApplyToTake,
    layoutTemplate: template,
    owner: { ...owner },
    createTime: now,
    totalViewerCount: 0,
    admins: [],
    metadata: {},
    seats,
    applications: [],
    invitations: [],
    seq: 0,
  };
  const seat0 = seats[0];
  if (keepOwnerOnSeat && seat0) {
    seat0.occupant = { userId: owner.userId, microphoneOn: false, cameraOn: false, microphoneLocked: false, cameraLocked: false, since: now };
  }
  return record;
}
