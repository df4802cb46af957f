import type { Barrage as WireBarrage, LiveSnapshot } from '@onseat/protocol';
import { BarrageType } from '../chatEnums.js';
import type { Barrage, BarrageEventMap } from '../chatTypes.js';
import type { AnyLiveEvent } from '../client/liveTracker.js';
import type { OnseatContext } from '../context.js';
import { OnseatError } from '../errors.js';
import { toUser } from './mappers.js';
import { Store } from './Store.js';

/** State of the {@link BarrageStore}. */
export interface BarrageSnapshot {
  /** Text messages of the current live (and local tips), oldest first; the last {@link MAX_MESSAGES} are kept. */
  messageList: readonly Barrage[];
}

const keyOf = (m: Barrage): string => `${m.sequence}:${m.sender.userId}:${m.timestampInSecond}:${m.textContent ?? ''}`;

/** Messages kept in `messageList`; older ones are dropped. */
export const MAX_MESSAGES = 500;

const toBarrage = (m: WireBarrage): Barrage => {
  const b: Barrage = {
    liveId: m.liveId,
    sender: toUser(m.sender),
    sequence: m.sequence,
    timestampInSecond: m.timestampInSecond,
    messageType: m.messageType,
  };
  if (m.textContent !== undefined) b.textContent = m.textContent;
  if (m.extensionInfo !== undefined) b.extensionInfo = m.extensionInfo;
  if (m.businessId !== undefined) b.businessId = m.businessId;
  if (m.data !== undefined) b.data = m.data;
  return b;
};

/**
 * AtomicX BarrageState: the chat of the current live. The server hands the last messages over on join, then sends
 * new ones in batches; text messages go to `messageList` and `onBarrageReceived`, custom ones only to
 * `onCustomMessageReceived`.
 */
export class BarrageStore extends Store<BarrageSnapshot, BarrageEventMap> {
  /** Highest server sequence seen in this live (messages at or below it are duplicates). */
  #lastSequence = 0;

  constructor(ctx: OnseatContext) {
    super(ctx, { messageList: [] });
    ctx.addSink({
      liveSnapshot: (snapshot: LiveSnapshot, cause) => this.#onSnapshot(snapshot, cause),
      liveEvent: (event: AnyLiveEvent) => {
        if (event.type === 'chat.batch' && event.payload.messages) this.#receive(event.payload.messages.map(toBarrage), true);
      },
      liveExit: () => {
        this.#lastSequence = 0;
        this.resetState();
      },
      // After a reconnect the server may be a restarted one whose chat counts from 1 again (chat history is not
      // persisted): accept any sequence from now on. Chat is never replayed, so no duplicate can follow.
      connectionResumed: () => {
        this.#lastSequence = 0;
      },
    });
  }

  /** Send a text to everyone in the live. Rejects with the server's code: -2380/-2381 (chat disabled/banned), -2 (too fast), 40020 (too long), 80001 (blocked word). */
  async sendTextMessage(params: { text: string; extensionInfo?: Record<string, string> }): Promise<void> {
    this.#requireLive();
    const payload: { text: string; extensionInfo?: Record<string, string> } = { text: params.text };
    if (params.extensionInfo) payload.extensionInfo = params.extensionInfo;
    const { message } = await this.ctx.request('barrage.sendText', payload);
    // The sender sees its own message at once (the batch that carries it to everyone is then a duplicate).
    this.#receive([toBarrage(message)], false);
  }

  /** Send a custom (business) message; it reaches the others as `onCustomMessageReceived`. */
  async sendCustomMessage(params: { businessId: string; data: string }): Promise<void> {
    this.#requireLive();
    await this.ctx.request('barrage.sendCustom', { businessId: params.businessId, data: params.data });
  }

  /** Add a local message (never sent) to `messageList`, e.g. "Welcome!" or a system tip. */
  appendLocalTip(message: Barrage): void {
    this.#append([{ ...message, messageType: message.messageType ?? BarrageType.text }]);
  }

  #requireLive(): void {
    if (!this.ctx.liveId) throw OnseatError.of('NOT_IN_LIVE', 'Join or start a live before sending messages');
  }

  #onSnapshot(snapshot: LiveSnapshot, cause: 'enter' | 'resync'): void {
    const history = (snapshot.barrage ?? []).map(toBarrage);
    if (cause === 'enter') {
      this.#lastSequence = 0;
      this.resetState();
      // History is not announced as new messages (AtomicX fills the list on entering without events).
      this.#receive(history, false);
      return;
    }
    // After a reconnect: add (and announce) the history messages the list does not have yet; the server's sequence
    // may have started over (restart), so compare messages, not sequence numbers.
    const have = new Set(this.getSnapshot().messageList.map(keyOf));
    const missed = history.filter((m) => m.messageType === BarrageType.text && !have.has(keyOf(m)));
    this.#lastSequence = history.reduce((max, m) => Math.max(max, m.sequence), 0);
    this.#append(missed);
    for (const m of missed) this.emit('onBarrageReceived', m);
  }

  #receive(messages: Barrage[], announce: boolean): void {
    const fresh = messages.filter((m) => m.sequence > this.#lastSequence);
    if (fresh.length === 0) return;
    this.#lastSequence = Math.max(this.#lastSequence, ...fresh.map((m) => m.sequence));
    this.#append(fresh.filter((m) => m.messageType === BarrageType.text));
    if (!announce) return;
    for (const m of fresh) this.emit(m.messageType === BarrageType.text ? 'onBarrageReceived' : 'onCustomMessageReceived', m);
  }

  #append(messages: Barrage[]): void {
    if (messages.length === 0) return;
    const list = [...this.getSnapshot().messageList, ...messages];
    this.setState({ messageList: list.length > MAX_MESSAGES ? list.slice(list.length - MAX_MESSAGES) : list });
  }
}
