import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/engine/Clock.js';
import { SqliteLiveStore } from '../src/store/SqliteLiveStore.js';
import { createHarness, type TestConn } from './support/engineHarness.js';
import { cmdArb, JOINED_AT_START, liveView, MODEL_LIVE_ID, modelView, request, SEATS, USERS } from './support/modelCommands.js';
import { ADMIN, OWNER, initialModel, step, type Cmd } from './support/referenceModel.js';

/** The engine's state in the model's terms. */
const engineView = (h: ReturnType<typeof createHarness>) => liveView(h.live()!);

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
  await h.ok(conns.get(OWNER)!, 'live.start', { liveId: MODEL_LIVE_ID, maxSeatCount: SEATS });
  for (const u of JOINED_AT_START) {
    conns.set(u, h.connect(u));
    await h.ok(conns.get(u)!, 'live.join', { liveId: MODEL_LIVE_ID });
  }
  conns.set('u3', h.connect('u3'));
  await h.ok(conns.get(OWNER)!, 'audience.setAdministrator', { userId: ADMIN });
  const model = initialModel(SEATS, h.clock.now());
  for (const u of JOINED_AT_START) model.members.add(u);
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
      const r = await h.send(c, 'live.sync', { liveId: MODEL_LIVE_ID, sinceSeq: 1 });
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
