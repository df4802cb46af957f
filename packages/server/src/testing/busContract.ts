import { describe, expect, it } from 'vitest';
import type { Delivery, LiveBus } from '../bus/LiveBus.js';

/** Makes a fresh bus; `cleanup` (optional) releases it after each test. */
export type BusFactory = () => LiveBus | Promise<LiveBus>;

/** Collects deliveries and lets a test await one (a bus may deliver asynchronously, e.g. over Redis). */
class Inbox {
  readonly got: Delivery[] = [];
  #waiters: { pred: (d: Delivery) => boolean; resolve: (d: Delivery) => void }[] = [];

  readonly handler = (d: Delivery): void => {
    this.got.push(d);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.pred(d)) return true;
      w.resolve(d);
      return false;
    });
  };

  /** The first delivery (already received or next) whose frame is `frame`, or a timeout error. */
  waitFor(frame: string, ms = 2000): Promise<Delivery> {
    const seen = this.got.find((d) => d.frame === frame);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no delivery of ${frame} within ${ms} ms`)), ms);
      this.#waiters.push({ pred: (d) => d.frame === frame, resolve: (d) => (clearTimeout(timer), resolve(d)) });
    });
  }

  frames(): string[] {
    return this.got.map((d) => d.frame);
  }
}

const delivery = (liveKey: string, frame: string, to: Delivery['to'] = 'all'): Delivery => ({ liveKey, frame, to });
/** Lets an asynchronous bus hand over anything still in flight. */
const drain = () => new Promise<void>((r) => setTimeout(r, 20));

/**
 * Registers the LiveBus contract for one implementation. Negative checks ("did not arrive") publish a marker after
 * the message that must not arrive and await the marker, so they also hold for a bus that delivers asynchronously.
 */
export function runLiveBusContract(name: string, makeBus: BusFactory, cleanup?: (bus: LiveBus) => Promise<void>): void {
  describe(`LiveBus contract: ${name}`, () => {
    async function withBus(fn: (bus: LiveBus) => Promise<void>): Promise<void> {
      const bus = await makeBus();
      try {
        await fn(bus);
      } finally {
        await cleanup?.(bus);
      }
    }

    it('a publish reaches the subscribers of that live with its frame and recipients, not other lives', () =>
      withBus(async (bus) => {
        const a = new Inbox();
        const b = new Inbox();
        const ua = bus.subscribe('1:a', a.handler);
        const ub = bus.subscribe('1:b', b.handler);
        bus.publish(delivery('1:a', 'for-a', ['u1', 'u2']));
        bus.publish(delivery('1:b', 'for-b'));
        expect(await a.waitFor('for-a')).toEqual(delivery('1:a', 'for-a', ['u1', 'u2']));
        expect(await b.waitFor('for-b')).toEqual(delivery('1:b', 'for-b', 'all'));
        await drain();
        expect(a.frames()).toEqual(['for-a']);
        expect(b.frames()).toEqual(['for-b']);
        ua();
        ub();
      }));

    it('a live with the same id in another app is another live', () =>
      withBus(async (bus) => {
        const a = new Inbox();
        const u = bus.subscribe('1:a', a.handler);
        bus.publish(delivery('2:a', 'other-app'));
        bus.publish(delivery('1:a', 'marker'));
        await a.waitFor('marker');
        expect(a.frames()).toEqual(['marker']);
        u();
      }));

    it('several subscribers of one live each get every delivery, in publish order', () =>
      withBus(async (bus) => {
        const x = new Inbox();
        const y = new Inbox();
        const ux = bus.subscribe('1:a', x.handler);
        const uy = bus.subscribe('1:a', y.handler);
        for (let i = 1; i <= 5; i++) bus.publish(delivery('1:a', `m${i}`));
        await x.waitFor('m5');
        await y.waitFor('m5');
        expect(x.frames()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
        expect(y.frames()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
        ux();
        uy();
      }));

    it('unsubscribe stops deliveries to that subscriber only; subscribing again resumes', () =>
      withBus(async (bus) => {
        const x = new Inbox();
        const y = new Inbox();
        const ux = bus.subscribe('1:a', x.handler);
        const uy = bus.subscribe('1:a', y.handler);
        bus.publish(delivery('1:a', 'before'));
        await x.waitFor('before');
        await y.waitFor('before');
        ux();
        bus.publish(delivery('1:a', 'after'));
        await y.waitFor('after');
        await drain();
        expect(x.frames()).toEqual(['before']);
        uy();
        // nobody listens now: publishing is harmless
        bus.publish(delivery('1:a', 'nobody'));
        const z = new Inbox();
        const uz = bus.subscribe('1:a', z.handler);
        bus.publish(delivery('1:a', 'again'));
        await z.waitFor('again');
        await drain();
        expect(z.frames()).toEqual(['again']);
        expect(y.frames()).toEqual(['before', 'after']);
        uz();
      }));

    it('calling an unsubscribe twice does not remove another subscriber', () =>
      withBus(async (bus) => {
        const x = new Inbox();
        const y = new Inbox();
        const ux = bus.subscribe('1:a', x.handler);
        ux();
        const uy = bus.subscribe('1:a', y.handler);
        ux();
        bus.publish(delivery('1:a', 'still'));
        await y.waitFor('still');
        expect(x.frames()).toEqual([]);
        uy();
      }));
  });
}
