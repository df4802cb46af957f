import { Errors } from '@onseat/protocol';
import { describe, expect, it } from 'vitest';
import { createHarness } from './support/engineHarness.js';

describe('races are decided exactly once', () => {
  it('two admins accepting the same application: one wins, the other hears "processed by other host"', async () => {
    const h = createHarness();
    const { host, adm, a } = await h.liveWith(['adm', 'a']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm' });
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });

    const [r1, r2] = await Promise.all([
      h.send(host, 'coGuest.acceptApplication', { userId: 'a' }),
      h.send(adm, 'coGuest.acceptApplication', { userId: 'a' }),
    ]);
    const results = [r1, r2];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(loser && !loser.ok && loser.error).toMatchObject({
      code: Errors.REQUEST_ID_INVALID.code,
      details: { processedBy: 'host', outcome: 'accepted' },
    });
    // exactly one seat, one answer to the applicant, and the other admin learns who decided
    expect(h.seatUserIds().filter((id) => id === 'a')).toHaveLength(1);
    expect(a.events('coGuest.applicationResponded')).toHaveLength(1);
    const seenByAdmin = adm.last<{ isAccept: boolean; hostUser: { userId: string } }>('coGuest.applicationResponded');
    expect(seenByAdmin).toMatchObject({ isAccept: true, hostUser: { userId: 'host' } });
  });

  it('accept racing reject: the first decision stands', async () => {
    const h = createHarness();
    const { host, adm, a } = await h.liveWith(['adm', 'a']);
    await h.ok(host, 'audience.setAdministrator', { userId: 'adm' });
    await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    const [rej, acc] = await Promise.all([
      h.send(adm, 'coGuest.rejectApplication', { userId: 'a' }),
      h.send(host, 'coGuest.acceptApplication', { userId: 'a' }),
    ]);
    expect(rej.ok).toBe(true);
    expect(!acc.ok && acc.error).toMatchObject({ name: 'REQUEST_ID_INVALID', details: { processedBy: 'adm', outcome: 'rejected' } });
    expect(h.seatUserIds()).not.toContain('a');
    expect(a.events('coGuest.applicationResponded')).toEqual([expect.objectContaining({ isAccept: false })]);
  });

  it('fifty applicants for one free seat, host accepts all: one seated, 49 "all seats occupied"', async () => {
    const h = createHarness();
    const ids = Array.from({ length: 50 }, (_, i) => `u${i}`);
    const conns = await h.liveWith(ids, { maxSeatCount: 2 });
    await Promise.all(ids.map((id) => h.ok(conns[id]!, 'coGuest.apply', { seatIndex: -1, timeout: 60 })));
    expect(h.live()!.record.applications).toHaveLength(50);

    const replies = await Promise.all(ids.map((id) => h.send(conns.host, 'coGuest.acceptApplication', { userId: id })));
    const won = replies.filter((r) => r.ok);
    const lost = replies.filter((r) => !r.ok);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    for (const r of lost) expect(!r.ok && r.error.code).toBe(Errors.ALL_SEAT_OCCUPIED.code);

    const seated = h.seatUserIds().filter((id) => id && id !== 'host');
    expect(seated).toHaveLength(1);
    // every losing applicant is told why, and nobody is left waiting
    const failedApplicants = ids.filter((id) => conns[id]!.events('coGuest.applicationFailed').length === 1);
    expect(failedApplicants).toHaveLength(49);
    for (const id of failedApplicants) expect(conns[id]!.last('coGuest.applicationFailed')).toMatchObject({ code: 100205 });
    expect(h.live()!.record.applications).toHaveLength(0);
  });
});
