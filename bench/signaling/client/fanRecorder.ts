/**
 * Records, for one fan-out round, when each receiving socket of this process got the broadcast. When all
 * expected sockets have it, it notifies the parent with the first and last arrival (epoch ms via
 * performance.timeOrigin + performance.now(), comparable with the sender's timestamp in another process).
 */
import { notify } from '../lib/ipc.js';

export class FanRecorder {
  #round = -1;
  #got: Uint8Array = new Uint8Array(0);
  #count = 0;
  #expected = 0;
  #first = Infinity;
  #last = -Infinity;
  #stray = 0;

  /** Start a round expecting one receipt from each of `sockets` receivers (indexes 0..sockets-1). */
  arm(round: number, sockets: number): void {
    this.#round = round;
    if (this.#got.length !== sockets) this.#got = new Uint8Array(sockets);
    else this.#got.fill(0);
    this.#count = 0;
    this.#expected = sockets;
    this.#first = Infinity;
    this.#last = -Infinity;
    if (sockets === 0) this.#done();
  }

  /** Receiver `i` got the broadcast at `t` (performance.now()). */
  recv(i: number, t: number): void {
    if (this.#round < 0 || this.#got[i] !== 0) {
      this.#stray++;
      return;
    }
    this.#got[i] = 1;
    if (t < this.#first) this.#first = t;
    if (t > this.#last) this.#last = t;
    if (++this.#count === this.#expected) this.#done();
  }

  #done(): void {
    const origin = performance.timeOrigin;
    notify('fan', { round: this.#round, n: this.#count, first: origin + this.#first, last: origin + this.#last });
    this.#round = -1;
  }

  /** Progress of the current round (for diagnostics when a round times out). */
  status(): { round: number; count: number; expected: number; stray: number } {
    return { round: this.#round, count: this.#count, expected: this.#expected, stray: this.#stray };
  }
}
