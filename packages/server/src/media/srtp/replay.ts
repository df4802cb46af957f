/**
 * RFC 3711 §3.3.1 / Appendix A: the packet index of a received (or sent) sequence number from the rollover counter
 * (ROC) and the highest sequence number so far (s_l), and §3.3.2's replay list as a sliding window.
 */
export class RtpIndexState {
  roc = 0;
  /** Highest sequence number seen (s_l); -1 before the first packet. */
  lastSeq = -1;

  /** The 48-bit index `seq` most likely has (v · 2^16 + seq); negative when it would precede index 0. */
  estimate(seq: number): number {
    const sl = this.lastSeq;
    if (sl < 0) return this.roc * 0x10000 + seq;
    let v = this.roc;
    if (sl < 0x8000) {
      if (seq - sl > 0x8000) v = this.roc - 1;
    } else if (sl - 0x8000 > seq) v = this.roc + 1;
    return v * 0x10000 + seq;
  }

  /** Records an authenticated (or sent) index: ROC and s_l advance only forwards. */
  update(index: number): void {
    const roc = Math.floor(index / 0x10000);
    const seq = index % 0x10000;
    if (this.lastSeq < 0 || roc > this.roc || (roc === this.roc && seq > this.lastSeq)) {
      this.roc = roc;
      this.lastSeq = seq;
    }
  }
}

/** Packets more than this many indexes behind the highest one are refused (RFC 3711 asks for at least 64). */
export const REPLAY_WINDOW = 128;

/** Which of the last `size` (default REPLAY_WINDOW) indexes were received. */
export class ReplayWindow {
  #highest = -1;
  readonly #seen: Uint8Array;
  readonly #size: number;

  constructor(size = REPLAY_WINDOW) {
    this.#size = size;
    this.#seen = new Uint8Array(size);
  }

  /** Whether `index` is new and not too old (check before authentication). */
  accepts(index: number): boolean {
    if (index < 0) return false;
    if (index > this.#highest) return true;
    if (this.#highest - index >= this.#size) return false;
    return this.#seen[index % this.#size] === 0;
  }

  /** Marks `index` as received (after authentication). */
  mark(index: number): void {
    if (index > this.#highest) {
      const gap = this.#highest < 0 ? this.#size : Math.min(this.#size, index - this.#highest);
      for (let i = 1; i <= gap; i++) this.#seen[(index - gap + i + this.#size) % this.#size] = 0;
      this.#highest = index;
    }
    this.#seen[index % this.#size] = 1;
  }
}
