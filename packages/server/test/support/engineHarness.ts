import { Requests, type EventFrame, type RequestResult, type WireError } from '@onseat/protocol';
import { expect } from 'vitest';
import type { EngineRequestType } from '../../src/engine/api.js';
import { FakeClock } from '../../src/engine/Clock.js';
import type { Connection, Principal } from '../../src/engine/Connection.js';
import { Engine, type EngineOptions } from '../../src/engine/Engine.js';
import { engineInvariantViolations } from '../../src/engine/invariants.js';

export const APP = 1400000001;

/** An in-memory connection that keeps every frame it is sent. */
export class TestConn implements Connection {
  static #next = 1;
  readonly id = TestConn.#next++;
  readonly frames: EventFrame[] = [];
  /** The frames as they were handed over (string or Buffer): to tell a shared frame from one serialised per member. */
  readonly raw: (string | Buffer)[] = [];
  closed: { code: number; reason: string } | null = null;
  constructor(readonly principal: Principal) {}
  send(frame: string | Buffer): void {
    this.raw.push(frame);
    this.frames.push(JSON.parse(frame.toString()) as EventFrame);
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  /** Events of `type` received so far (payloads). */
  events<T = Record<string, unknown>>(type: string): T[] {
    return this.frames.filter((f) => f.type === type).map((f) => f.payload as T);
  }
  last<T = Record<string, unknown>>(type: string): T | undefined {
    return this.events<T>(type).at(-1);
  }
  types(): string[] {
    return this.frames.map((f) => f.type);
  }
  clear(): void {
    this.frames.length = 0;
  }
}

export type Result<T extends EngineRequestType> = { ok: true; payload: RequestResult<T> } | { ok: false; error: WireError };

/**
 * Request ids of every harness engine in this process: unique across engines, as the random ids of a real server are
 * (an engine restarted on the same store must not hand out an id a restored request already has).
 */
let requestNo = 0;

/** An engine on a fake clock with helpers; checks every invariant after every request. */
export function createHarness(options: EngineOptions = {}) {
  // A FakeClock passed in options is used (tests that need two engines on their own clocks); otherwise a new one.
  const clock = options.clock instanceof FakeClock ? options.clock : new FakeClock();
  const engine = new Engine({ newId: () => `req-${++requestNo}`, reconnectGraceMs: 20_000, countThrottleMs: 1_000, ...options, clock });
  const checkInvariants = () => expect(engineInvariantViolations(engine)).toEqual([]);

  const connect = (userId: string, sdkAppId = APP): TestConn => {
    const c = new TestConn({ sdkAppId, userId, userName: `name-${userId}`, avatarUrl: '' });
    engine.attach(c);
    return c;
  };

  async function send<T extends EngineRequestType>(conn: TestConn, type: T, payload: unknown = {}): Promise<Result<T>> {
    const parsed = Requests[type].payload.safeParse(payload);
    if (!parsed.success) throw new Error(`test sent an invalid ${type} payload: ${parsed.error.message}`);
    const r: Result<T> = await engine.execute<T>(conn, type, parsed.data as never);
    checkInvariants();
    return r;
  }

  /** Sends and expects success; returns the result payload. */
  async function ok<T extends EngineRequestType>(conn: TestConn, type: T, payload: unknown = {}): Promise<RequestResult<T>> {
    const r = await send(conn, type, payload);
    if (!r.ok) throw new Error(`${type} failed: ${r.error.name} ${r.error.message}`);
    return r.payload;
  }

  /** Sends and expects the named error; returns it. */
  async function err<T extends EngineRequestType>(conn: TestConn, type: T, payload: unknown, name: string): Promise<WireError> {
    const r = await send(conn, type, payload);
    if (r.ok) throw new Error(`${type} succeeded, expected ${name}`);
    expect(r.error.name).toBe(name);
    return r.error;
  }

  /** Advances the fake clock and lets the work it triggers settle. */
  async function advance(ms: number): Promise<void> {
    clock.advance(ms);
    await settle();
    checkInvariants();
  }

  /** A host with a started live and `audience` members joined (literal ids type the result: `{host, a, b}`). */
  async function liveWith<const K extends string>(audience: readonly K[], start: Record<string, unknown> = {}) {
    const host = connect('host');
    await ok(host, 'live.start', { liveId: 'live-1', liveName: 'Live', ...start });
    const members: Record<string, TestConn> = {};
    for (const id of audience) {
      const c = connect(id);
      members[id] = c;
      await ok(c, 'live.join', { liveId: 'live-1' });
    }
    return { host, ...members } as { host: TestConn } & Record<K, TestConn>;
  }

  const live = (liveId = 'live-1') => engine.liveForTesting(APP, liveId);
  const seatUserIds = (liveId = 'live-1') => live(liveId)?.record.seats.map((s) => s.occupant?.userId ?? null) ?? [];

  return { clock, engine, connect, send, ok, err, advance, liveWith, live, seatUserIds, checkInvariants };
}

export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
