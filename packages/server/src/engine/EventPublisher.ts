import type { LiveBus } from '../bus/LiveBus.js';
import type { CommitBatch, CommitMessage, LiveChange, LoggedEvent } from '../store/LiveStore.js';
import type { LiveStore } from '../store/LiveStore.js';
import type { Connection } from './Connection.js';
import type { Audience, Live } from './Live.js';
import type { MemberRecord } from './state.js';

/** What one live did in the current tick, waiting for the commit. */
interface PendingLive {
  live: Live;
  events: LoggedEvent[];
  putMembers: Map<string, MemberRecord>;
  removeMembers: Set<string>;
  /** Connections of members removed in this tick, so events addressed to them still reach them after the commit. */
  departed: Map<string, Connection>;
  endedReason: number | null;
}

/** Why a commit failed; the engine answers the tick's commands with STORE_UNAVAILABLE. */
export class CommitError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly liveKeys: string[],
  ) {
    super(`commit failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface PublisherOptions {
  store: LiveStore;
  bus: LiveBus;
  now: () => number;
  /** Called after a failed commit with the lives whose in-memory state is now ahead of the store. */
  onCommitFailed: (error: CommitError) => void;
}

/**
 * The event publisher: gives each event of a live its seq, serialises it once, and holds it with the live's changed
 * record until the end of the tick. Then one `store.commit` takes every change of the tick; only when it resolved are
 * the events published on the bus (delivered) and the commands' replies released. A failed commit delivers nothing.
 */
export class EventPublisher {
  readonly #o: PublisherOptions;
  readonly #pending = new Map<string, PendingLive>();
  /** Messages for other nodes that go with the next commit (`CommitBatch.messages`). */
  #messages: CommitMessage[] = [];
  #tick: Promise<void> | null = null;
  /** The previous tick's commit: ticks commit and deliver in order even when a store is slow. */
  #last: Promise<void> = Promise.resolve();

  constructor(options: PublisherOptions) {
    this.#o = options;
  }

  /** Seqs, serialises and queues the live's outbox, and marks its record changed. Returns the tick's commit. */
  flush(live: Live, resolve: (live: Live, to: Audience) => 'all' | string[]): Promise<void> {
    const p = this.#entry(live);
    for (const ev of live.outbox) {
      const seq = ++live.record.seq;
      const frame = JSON.stringify({ kind: 'evt', type: ev.type, liveId: live.record.liveId, seq, payload: ev.payload });
      p.events.push({ seq, frame, to: resolve(live, ev.to) });
    }
    live.outbox.length = 0;
    for (const [id, conn] of live.departed) p.departed.set(id, conn);
    live.departed.clear();
    return this.#schedule();
  }

  /**
   * Sends `message` to another node of the cluster with the commit of the current tick, only if it is kept (the tick
   * must have something to commit: call it before the `flush` of the command it answers). `remember`: the store keeps
   * it with the commit (`CommitMessage.remember`).
   */
  sendWithCommit(node: string, message: string, remember?: CommitMessage['remember']): void {
    this.#messages.push(remember ? { node, message, remember } : { node, message });
  }

  memberJoined(live: Live, member: MemberRecord): void {
    const p = this.#entry(live);
    p.removeMembers.delete(member.user.userId);
    p.putMembers.set(member.user.userId, member);
  }

  memberLeft(live: Live, userId: string): void {
    const p = this.#entry(live);
    p.putMembers.delete(userId);
    p.removeMembers.add(userId);
  }

  /** The live ends with this tick: its events are still delivered, then the store forgets it. */
  liveEnded(live: Live, reason: number): Promise<void> {
    this.#entry(live).endedReason = reason;
    return this.#schedule();
  }

  /** Resolves when everything queued so far is committed and delivered (or failed). */
  idle(): Promise<void> {
    return (this.#tick ?? this.#last).then(
      () => undefined,
      () => undefined,
    );
  }

  #entry(live: Live): PendingLive {
    let p = this.#pending.get(live.key);
    if (!p) {
      p = { live, events: [], putMembers: new Map(), removeMembers: new Set(), departed: new Map(), endedReason: null };
      this.#pending.set(live.key, p);
    }
    return p;
  }

  #schedule(): Promise<void> {
    if (this.#tick) return this.#tick;
    const previous = this.#last;
    const tick = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.#tick = null;
        const batch = [...this.#pending.values()];
        this.#pending.clear();
        const messages = this.#messages;
        this.#messages = [];
        // The records are serialised now, at the end of the tick, even if an earlier commit is still in flight.
        const commit = this.#batchOf(batch);
        if (messages.length > 0) commit.messages = messages;
        previous
          .catch(() => undefined)
          .then(() => this.#commit(batch, commit))
          .then(resolve, reject);
      });
    });
    this.#tick = tick;
    this.#last = tick;
    // Callers await it (replies) or not (timers): a failure is reported through onCommitFailed either way.
    tick.catch(() => undefined);
    return tick;
  }

  #batchOf(batch: PendingLive[]): CommitBatch {
    const commit: CommitBatch = { changes: [], ended: [] };
    for (const p of batch) {
      // Serialised once per live per tick; the top-level copy keeps the indexed fields as they are now.
      const change: LiveChange = { key: p.live.key, record: { ...p.live.record }, recordJson: JSON.stringify(p.live.record) };
      if (p.events.length > 0) change.events = p.events;
      if (p.putMembers.size > 0) change.putMembers = [...p.putMembers.values()];
      if (p.removeMembers.size > 0) change.removeMembers = [...p.removeMembers];
      commit.changes.push(change);
      if (p.endedReason !== null) commit.ended.push({ key: p.live.key, reason: p.endedReason, endedAt: this.#o.now() });
    }
    return commit;
  }

  async #commit(batch: PendingLive[], commit: CommitBatch): Promise<void> {
    if (batch.length === 0 && !commit.messages) return;
    try {
      await this.#o.store.commit(commit);
    } catch (cause) {
      const error = new CommitError(
        cause,
        batch.map((p) => p.live.key),
      );
      this.#o.onCommitFailed(error);
      throw error;
    }
    for (const p of batch) {
      if (p.departed.size > 0) for (const [id, conn] of p.departed) p.live.departed.set(id, conn);
      for (const e of p.events) this.#o.bus.publish({ liveKey: p.live.key, frame: e.frame, to: e.to });
      for (const [id, conn] of p.departed) if (p.live.departed.get(id) === conn) p.live.departed.delete(id);
    }
  }
}
