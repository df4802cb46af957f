import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/engine/Clock.js';
import { SqliteLiveStore } from '../src/store/SqliteLiveStore.js';
import type { EngineRequestType } from '../src/engine/api.js';
import { createHarness, type TestConn } from './support/engineHarness.js';
import { ADMIN, GRACE_MS, OWNER, initialModel, step, type Cmd, type ModelState } from './support/referenceModel.js';

const AUDIENCE = ['u1', 'u2', 'u3'];
const USERS = [OWNER, ADMIN, ...AUDIENCE];
const SEATS = 4;

const user = fc.constantFrom(...USERS);
const seatArb = fc.integer({ min: -1, max: SEATS });
const fixedSeat = fc.integer({ min: 0, max: SEATS });
const timeout = fc.constantFrom(0, 1, 2, 5);

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ c: fc.constant('join' as const), u: user }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('leave' as const), u: user }) },
  { weight: 5, arbitrary: fc.record({ c: fc.constant('apply' as const), u: user, seat: seatArb, timeout }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('cancel' as const), u: user }) },
  { weight: 4, arbitrary: fc.record({ c: fc.constant('accept' as const), u: user, target: user }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('reject' as const), u: user, target: user }) },
  { weight: 4, arbitrary: fc.record({ c: fc.constant('invite' as const), u: user, target: user, seat: seatArb, timeout }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('cancelInv' as const), u: user, target: user }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant('acceptInv' as const), u: user, inviter: user }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('rejectInv' as const), u: user, inviter: user }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('disconnect' as const), u: user }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('take' as const), u: user, seat: fixedSeat }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('lock' as const), u: user, seat: fixedSeat, locked: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('kick' as const), u: user, target: user }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('drop' as const), u: user }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('resume' as const), u: user }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant('tick' as const), ms: fc.constantFrom(1, 999, 1000, 2500, 6000, GRACE_MS) }) },
);

function request(cmd: Exclude<Cmd, { c: 'tick' | 'drop' | 'resume' }>): [EngineRequestType, Record<string, unknown>] {
  switch (cmd.c) {
    case 'join':
      return ['live.join', { liveId: 'live-1' }];
    case 'leave':
      return ['live.leave', {}];
    case 'apply':
      return ['coGuest.apply', { seatIndex: cmd.seat, timeout: cmd.timeout }];
    case 'cancel':
      return ['coGuest.cancelApplication', {}];
    case 'accept':
      return ['coGuest.acceptApplication', { userId: cmd.target }];
    case 'reject':
      return ['coGuest.rejectApplication', { userId: cmd.target }];
    case 'invite':
      return ['coGuest.invite', { userId: cmd.target, seatIndex: cmd.seat, timeout: cmd.timeout }];
    case 'cancelInv':
      return ['coGuest.cancelInvitation', { inviteeId: cmd.target }];
    case 'acceptInv':
      return ['coGuest.acceptInvitation', { inviterId: cmd.inviter }];
    case 'rejectInv':
      return ['coGuest.rejectInvitation', { inviterId: cmd.inviter }];
    case 'disconnect':
      return ['coGuest.disconnect', {}];
    case 'take':
      return ['seat.take', { seatIndex: cmd.seat }];
    case 'lock':
      return [cmd.locked ? 'seat.lock' : 'seat.unlock', { seatIndex: cmd.seat }];
    case 'kick':
      return ['seat.kick', { userId: cmd.target }];
  }
}

/** The engine's state in the model's terms. */
function engineView(h: ReturnType<typeof createHarness>) {
  const r = h.live()!.record;
  return {
    seats: r.seats.map((s) => ({ locked: s.locked, user: s.occupant?.userId ?? null })),
    apps: Object.fromEntries(r.applications.map((a) => [a.userId, a.seatIndex])),
    invs: Object.fromEntries(r.invitations.map((a) => [a.userId, a.hostId])),
    members: [...h.live()!.members.keys()].sort(),
  };
}

function modelView(m: ModelState) {
  return {
    seats: m.seats.map((s) => ({ ...s })),
    apps: Object.fromEntries([...m.apps].map(([u, p]) => [u, p.seat])),
    invs: Object.fromEntries([...m.invs].map(([u, p]) => [u, p.host])),
    members: [...m.members].sort(),
  };
}

/** A restart of the server: a new engine on the same store and clock; every connection is gone. */
type Step = Cmd | { c: 'restart' };
const withRestarts: fc.Arbitrary<Step> = fc.oneof(
  { weight: 20, arbitrary: cmdArb },
  { weight: 1, arbitrary: fc.constant({ c: 'restart' as const }) },
);

async function runSequence(cmds: Step[], dataDir?: string): Promise<void> {
  const clock = new FakeClock();
  const newStore = () => (dataDir ? { store: SqliteLiveStore.open(dataDir) } : {});
  let h = createHarness({ clock, ...newStore() });
  const conns = new Map<string, TestConn>();
  conns.set(OWNER, h.connect(OWNER));
  await h.ok(conns.get(OWNER)!, 'live.start', { liveId: 'live-1', maxSeatCount: SEATS });
  for (const u of [ADMIN, 'u1', 'u2']) {
    conns.set(u, h.connect(u));
    await h.ok(conns.get(u)!, 'live.join', { liveId: 'live-1' });
  }
  conns.set('u3', h.connect('u3'));
  await h.ok(conns.get(OWNER)!, 'audience.setAdministrator', { userId: ADMIN });
  const model = initialModel(SEATS, h.clock.now());
  for (const u of [ADMIN, 'u1', 'u2']) model.members.add(u);
  const connected = new Set(USERS);

  for (const [i, cmd] of cmds.entries()) {
    const where = `step ${i} ${JSON.stringify(cmd)}`;
    if (cmd.c === 'restart') {
      await h.engine.close();
      // A new engine's test ids must not repeat the first one's (real ids are UUIDs): prefix them per restart.
      const gen = i;
      let n = 0;
      h = createHarness({ clock, ...newStore(), newId: () => `r${gen}-${++n}` });
      await h.engine.restore();
      // Every member is now in a grace period counted from the restart (those already dropped too).
      for (const u of model.members) model.dropped.set(u, model.now);
      connected.clear();
    } else if (cmd.c === 'tick') {
      await h.advance(cmd.ms);
      step(model, cmd);
    } else if (cmd.c === 'drop') {
      if (!connected.has(cmd.u)) continue;
      connected.delete(cmd.u);
      h.engine.detach(conns.get(cmd.u)!);
      step(model, cmd);
    } else if (cmd.c === 'resume') {
      if (connected.has(cmd.u)) continue;
      connected.add(cmd.u);
      const c = h.connect(cmd.u);
      conns.set(cmd.u, c);
      const r = await h.send(c, 'live.sync', { liveId: 'live-1', sinceSeq: 1 });
      expect(r.ok ? 'ok' : r.error.name, where).toBe(step(model, cmd));
    } else {
      if (!connected.has(cmd.u)) continue;
      const [type, payload] = request(cmd);
      const r = await h.send(conns.get(cmd.u)!, type, payload);
      expect(r.ok ? 'ok' : r.error.name, where).toBe(step(model, cmd));
    }
    expect(engineView(h), where).toEqual(modelView(model));
  }
}

// Thousands of random sequences: a fixed amount of work, given room for a busy 2-core machine (not a speed check).
describe('model-based: random command sequences from hosts, an admin and audience', { timeout: 120_000 }, () => {
  it('the engine agrees with the reference model and keeps every invariant', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmdArb, { minLength: 5, maxLength: 60 }), (cmds) => runSequence(cmds)),
      { numRuns: 1500 },
    );
  });

  it('on the SQLite store, with server restarts mid-sequence, the engine still agrees with the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(withRestarts, { minLength: 5, maxLength: 60 }), async (cmds) => {
        const dir = mkdtempSync(join(tmpdir(), 'onseat-model-'));
        try {
          await runSequence(cmds, dir);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 200 },
    );
  });
});
