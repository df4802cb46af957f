/** Enums of AtomicX's BarrageState and LiveGiftState, with AtomicX's names and values, as TypeScript `enum`s. */

/** Kind of a chat message: only `text` ever appears in `messageList`; `custom` only in `onCustomMessageReceived`. */
export enum BarrageType {
  text = 0,
  custom = 1,
}

/** Events of the barrage (chat) store. */
export enum BarrageEvent {
  onBarrageReceived = 'onBarrageReceived',
  onCustomMessageReceived = 'onCustomMessageReceived',
}

/** Events of the gift store. */
export enum LiveGiftEvents {
  ON_RECEIVE_GIFT_MESSAGE = 'ON_RECEIVE_GIFT_MESSAGE',
  ON_GIFT_COUNT_CHANGED = 'ON_GIFT_COUNT_CHANGED',
  ON_RECEIVE_LIKES_MESSAGE = 'ON_RECEIVE_LIKES_MESSAGE',
}
