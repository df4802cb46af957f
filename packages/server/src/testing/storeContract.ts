import { describe, expect, it } from 'vitest';
import type { LiveRecord, MemberRecord } from '../engine/state.js';
import type { LiveChange, LiveStore, LoggedEvent } from '../store/LiveStore.js';
import { APP, OTHER_APP, sampleLive } from './sampleLive.js';

export { sampleLive };

/** Options every store factory must honour so the contract can test the event log's limit. */
export interface StoreContractOptions {
  /** Events kept per live (at least). */
  eventCapacity: number;
}

/** Makes a fresh, empty store; `cleanup` (optional) releases it after each test. */
export type StoreFactory = (options: StoreContractOptions) => LiveStore | Promise<LiveStore>;

const member = (userId: string, joinedAt = 1): MemberRecord => ({ user: { userId, userName: `n-${userId}`, avatarUrl: '' }, joinedAt });
const ev = (seq: number, to: LoggedEvent['to'] = 'all'): LoggedEvent => ({ seq, frame: `{"seq":${seq}}`, to });
const seqs = (list: LoggedEvent[] | null) => list?.map((e) => e.seq) ?? null;
const change = (s: LiveStore, c: LiveChange) => s.commit({ changes: [c], ended: [] });
const save = (s: LiveStore, record: LiveRecord) => change(s, { key: record.key, record });
const putMember = (s: LiveStore, key: string, m: MemberRecord) => change(s, { key, putMembers: [m] });
const removeMember = (s: LiveStore, key: string, userId: string) => change(s, { key, removeMembers: [userId] });
const append = (s: LiveStore, key: string, events: LoggedEvent[]) => change(s, { key, events });
const end = (s: LiveStore, key: string, reason = 1) => s.commit({ changes: [], ended: [{ key, reason, endedAt: 1 }] });

/**
 * Registers the LiveStore contract for one implementation. It uses only the interface (no memory-only behaviour),
 * so a Redis store runs it unchanged.
 */
export function runLiveStoreContract(name: string, makeStore: StoreFactory, cleanup?: (store: LiveStore) => Promise<void>): void {
  describe(`LiveStore contract: ${name}`, () => {
    async function withStore(fn: (s: LiveStore) => Promise<void>, eventCapacity = 64): Promise<void> {
      const s = await makeStore({ eventCapacity });
      try {
        await fn(s);
      } finally {
        await cleanup?.(s);
      }
    }

    it('createLive succeeds once; a second create with the same key returns false and keeps the first', () =>
      withStore(async (s) => {
        expect(await s.createLive(sampleLive('a', { liveName: 'first' }))).toBe(true);
        expect(await s.createLive(sampleLive('a', { liveName: 'second' }))).toBe(false);
        expect((await s.loadLive(`${APP}:a`))?.liveName).toBe('first');
        // the same liveId in another app is another live
        expect(await s.createLive(sampleLive('a', { sdkAppId: OTHER_APP }))).toBe(true);
      }));

    it('a committed record round-trips through loadLive the whole record, as copies', () =>
      withStore(async (s) => {
        const rec = sampleLive('a');
        await s.createLive(rec);
        rec.seq = 7;
        rec.admins.push('adm');
        rec.metadata = { k: 'v' };
        rec.seats[1] = {
          index: 1,
          locked: false,
          occupant: { userId: 'g', microphoneOn: true, cameraOn: false, microphoneLocked: false, cameraLocked: true, since: 5 },
        };
        rec.applications.push({
          kind: 'application',
          requestId: 'r1',
          userId: 'u',
          hostId: '',
          seatIndex: -1,
          createdAt: 1,
          deadline: 31_000,
          status: 'pending',
        });
        await save(s, rec);
        const loaded = await s.loadLive(rec.key);
        expect(loaded).toEqual(rec);
        // mutating what was saved or loaded does not change the stored record
        rec.liveName = 'changed after save';
        loaded!.seats[1]!.occupant = null;
        loaded!.applications.length = 0;
        const again = await s.loadLive(rec.key);
        expect(again?.liveName).toBe('name of a');
        expect(again?.seats[1]?.occupant?.userId).toBe('g');
        expect(again?.applications).toHaveLength(1);
      }));

    it('loadLive of an unknown key is null', () => withStore(async (s) => expect(await s.loadLive(`${APP}:nope`)).toBeNull()));

    it('an ended live is removed with the live, its members and its events', () =>
      withStore(async (s) => {
        const rec = sampleLive('a');
        await s.createLive(rec);
        await putMember(s, rec.key, member('u1'));
        await append(s, rec.key, [ev(1), ev(2)]);
        await end(s, rec.key);
        expect(await s.loadLive(rec.key)).toBeNull();
        expect(await s.liveKeys()).not.toContain(rec.key);
        expect(await s.members(rec.key)).toEqual([]);
        expect((await s.eventsAfter(rec.key, 0)) ?? []).toEqual([]);
        // a new live with the same key starts empty
        expect(await s.createLive(sampleLive('a'))).toBe(true);
        expect(await s.members(rec.key)).toEqual([]);
        expect(await s.eventsAfter(rec.key, 0)).toEqual([]);
      }));

    it('liveKeys lists every live of every app', () =>
      withStore(async (s) => {
        expect(await s.liveKeys()).toEqual([]);
        await s.createLive(sampleLive('a'));
        await s.createLive(sampleLive('b', { isPublicVisible: false }));
        await s.createLive(sampleLive('c', { sdkAppId: OTHER_APP }));
        expect((await s.liveKeys()).sort()).toEqual([`${APP}:a`, `${APP}:b`, `${OTHER_APP}:c`].sort());
      }));

    it('listLives: public lives of one app, newest first, paged with a cursor until it is empty', () =>
      withStore(async (s) => {
        const t0 = 1_700_000_000_000;
        for (let i = 0; i < 5; i++) await s.createLive(sampleLive(`l${i}`, { createTime: t0 + i * 1000 }));
        await s.createLive(sampleLive('hidden', { createTime: t0 + 10_000, isPublicVisible: false }));
        await s.createLive(sampleLive('other', { createTime: t0 + 20_000, sdkAppId: OTHER_APP }));
        const p1 = await s.listLives(APP, '', 2);
        expect(p1.lives.map((l) => l.liveId)).toEqual(['l4', 'l3']);
        expect(p1.cursor).not.toBe('');
        const p2 = await s.listLives(APP, p1.cursor, 2);
        expect(p2.lives.map((l) => l.liveId)).toEqual(['l2', 'l1']);
        expect(p2.cursor).not.toBe('');
        const p3 = await s.listLives(APP, p2.cursor, 2);
        expect(p3.lives.map((l) => l.liveId)).toEqual(['l0']);
        expect(p3.cursor).toBe('');
        // one page holding everything has no cursor
        const all = await s.listLives(APP, '', 100);
        expect(all.lives.map((l) => l.liveId)).toEqual(['l4', 'l3', 'l2', 'l1', 'l0']);
        expect(all.cursor).toBe('');
        // a page that ends exactly at the last live has no cursor either
        expect((await s.listLives(APP, p1.cursor, 3)).cursor).toBe('');
        const other = await s.listLives(OTHER_APP, '', 10);
        expect(other.lives.map((l) => l.liveId)).toEqual(['other']);
        expect(await s.listLives(1400000099, '', 10)).toEqual({ lives: [], cursor: '' });
      }));

    it('listLives reflects commits (a live made private disappears) and ended lives', () =>
      withStore(async (s) => {
        const a = sampleLive('a');
        await s.createLive(a);
        await s.createLive(sampleLive('b', { createTime: a.createTime + 1 }));
        await save(s, { ...a, isPublicVisible: false });
        expect((await s.listLives(APP, '', 10)).lives.map((l) => l.liveId)).toEqual(['b']);
        await end(s, `${APP}:b`);
        expect((await s.listLives(APP, '', 10)).lives).toEqual([]);
      }));

    it('members: put (insert and replace), remove, list, per live', () =>
      withStore(async (s) => {
        const a = sampleLive('a');
        const b = sampleLive('b');
        await s.createLive(a);
        await s.createLive(b);
        expect(await s.members(a.key)).toEqual([]);
        await putMember(s, a.key, member('u1', 10));
        await putMember(s, a.key, member('u2', 20));
        await putMember(s, b.key, member('u3', 30));
        await putMember(s, a.key, { user: { userId: 'u1', userName: 'renamed', avatarUrl: 'x' }, joinedAt: 10 });
        const listed = (await s.members(a.key)).sort((x, y) => x.joinedAt - y.joinedAt);
        expect(listed).toEqual([{ user: { userId: 'u1', userName: 'renamed', avatarUrl: 'x' }, joinedAt: 10 }, member('u2', 20)]);
        listed[0]!.user.userName = 'mutated';
        expect((await s.members(a.key)).find((m) => m.user.userId === 'u1')?.user.userName).toBe('renamed');
        await removeMember(s, a.key, 'u1');
        await removeMember(s, a.key, 'not-there');
        expect(await s.members(a.key)).toEqual([member('u2', 20)]);
        expect(await s.members(b.key)).toEqual([member('u3', 30)]);
      }));

    it('events/eventsAfter: the events after a seq, in order, with their recipients', () =>
      withStore(async (s) => {
        const a = sampleLive('a');
        const b = sampleLive('b');
        await s.createLive(a);
        await s.createLive(b);
        expect(await s.eventsAfter(a.key, 0)).toEqual([]);
        await append(s, a.key, [ev(1), ev(2, ['u1'])]);
        await append(s, a.key, [ev(3, ['u1', 'u2'])]);
        await append(s, b.key, [ev(1)]);
        expect(await s.eventsAfter(a.key, 0)).toEqual([ev(1), ev(2, ['u1']), ev(3, ['u1', 'u2'])]);
        expect(await s.eventsAfter(a.key, 1)).toEqual([ev(2, ['u1']), ev(3, ['u1', 'u2'])]);
        expect(await s.eventsAfter(a.key, 3)).toEqual([]);
        expect(seqs(await s.eventsAfter(b.key, 0))).toEqual([1]);
      }));

    it('eventsAfter returns null when events after the seq are no longer kept (small capacity)', () =>
      withStore(async (s) => {
        const a = sampleLive('a');
        await s.createLive(a);
        for (let seq = 1; seq <= 12; seq++) await append(s, a.key, [ev(seq)]);
        // the last `capacity` (4) events are kept
        expect(seqs(await s.eventsAfter(a.key, 8))).toEqual([9, 10, 11, 12]);
        expect(seqs(await s.eventsAfter(a.key, 10))).toEqual([11, 12]);
        expect(await s.eventsAfter(a.key, 12)).toEqual([]);
        // from the start, most are gone: never a list with a hole, but null
        expect(await s.eventsAfter(a.key, 0)).toBeNull();
        const around = await s.eventsAfter(a.key, 5);
        if (around !== null) expect(seqs(around)).toEqual([6, 7, 8, 9, 10, 11, 12]);
      }, 4));
    it('one commit carries record, events and members of several lives; lives that do not exist are ignored', () =>
      withStore(async (s) => {
        const a = sampleLive('a');
        const b = sampleLive('b');
        await s.createLive(a);
        await s.createLive(b);
        await s.commit({
          changes: [
            { key: a.key, record: { ...a, seq: 2, liveName: 'A2' }, events: [ev(1), ev(2)], putMembers: [member('u1')] },
            { key: b.key, record: { ...b, seq: 1 }, events: [ev(1, ['u2'])], putMembers: [member('u2')] },
            { key: `${APP}:ghost`, record: sampleLive('ghost'), events: [ev(1)], putMembers: [member('u9')] },
          ],
          ended: [],
        });
        expect((await s.loadLive(a.key))?.liveName).toBe('A2');
        expect(seqs(await s.eventsAfter(a.key, 0))).toEqual([1, 2]);
        expect(await s.eventsAfter(b.key, 0)).toEqual([ev(1, ['u2'])]);
        expect((await s.members(b.key)).map((m) => m.user.userId)).toEqual(['u2']);
        expect(await s.loadLive(`${APP}:ghost`)).toBeNull();
        expect(await s.liveKeys()).not.toContain(`${APP}:ghost`);
      }));

    it('a commit may change a live and end another; the reason of an ended live is kept until it is created again', () =>
      withStore(async (s) => {
        const a = sampleLive('a');
        const b = sampleLive('b');
        await s.createLive(a);
        await s.createLive(b);
        expect(await s.endedReason(a.key)).toBeNull();
        await s.commit({ changes: [{ key: b.key, record: { ...b, seq: 3 } }], ended: [{ key: a.key, reason: 2, endedAt: 5 }] });
        expect(await s.endedReason(a.key)).toBe(2);
        expect(await s.endedReason(b.key)).toBeNull();
        expect((await s.loadLive(b.key))?.seq).toBe(3);
        expect(await s.createLive(sampleLive('a'))).toBe(true);
        expect(await s.endedReason(a.key)).toBeNull();
      }));

    it('an ended live is not brought back by a later change for it', () =>
      withStore(async (s) => {
        const a = sampleLive('a');
        await s.createLive(a);
        await end(s, a.key, 1);
        await save(s, { ...a, seq: 9 });
        await putMember(s, a.key, member('late'));
        expect(await s.loadLive(a.key)).toBeNull();
        expect(await s.members(a.key)).toEqual([]);
      }));

    it('close() can be called twice', () =>
      withStore(async (s) => {
        await s.close();
        await s.close();
      }));
  });
}
