/** The chat/gift options of the `onseat` command: history size, limits, blocked words, gift catalogue. */
import type { CliOption, ServerOptions } from '../config.js';
import { loadBlockedWords, loadGiftCatalogue } from './giftCatalogue.js';
import { ChatOptionsError, type ChatOptions, type WordFilterMode } from './options.js';

export const CHAT_CLI_OPTIONS: readonly CliOption[] = [
  {
    flag: 'gifts',
    env: 'ONSEAT_GIFTS',
    type: 'string',
    defaultText: 'a built-in catalogue of 6 gifts',
    description: 'JSON file with the gift catalogue: [{categoryID, name, giftList: [{giftID, name, coins, iconUrl?}]}]',
  },
  { flag: 'chat-history', env: 'ONSEAT_CHAT_HISTORY', type: 'string', defaultText: '50', description: 'chat messages a newcomer receives on join' },
  {
    flag: 'chat-max-length',
    env: 'ONSEAT_CHAT_MAX_LENGTH',
    type: 'string',
    defaultText: '200',
    description: 'longest chat text (characters, at most 4000)',
  },
  { flag: 'chat-rate-burst', env: 'ONSEAT_CHAT_RATE_BURST', type: 'string', defaultText: '5', description: 'chat messages a user may send at once' },
  {
    flag: 'chat-rate-per-second',
    env: 'ONSEAT_CHAT_RATE_PER_SECOND',
    type: 'string',
    defaultText: '2',
    description: 'chat messages per user per second',
  },
  {
    flag: 'chat-slice-ms',
    env: 'ONSEAT_CHAT_SLICE_MS',
    type: 'string',
    defaultText: '2',
    description: 'longest a chat round writes to sockets before letting other work run (ms per event-loop turn)',
  },
  {
    flag: 'blocked-words',
    env: 'ONSEAT_BLOCKED_WORDS',
    type: 'string',
    defaultText: 'none',
    description: 'file of blocked chat words, one per line (# comments)',
  },
  {
    flag: 'blocked-words-mode',
    env: 'ONSEAT_BLOCKED_WORDS_MODE',
    type: 'string',
    defaultText: 'replace',
    description: 'replace (blocked words become ***) or reject (the message is refused, 80001)',
  },
];

const num = (name: string, raw: string | undefined): number | undefined => {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new ChatOptionsError(`${name} must be a number, got "${raw}"`);
  return n;
};

/** Reads the chat flags (a flag wins over its environment variable) into `options.chat`. */
export function applyChatCli(options: ServerOptions, str: (flag: string, env: string) => string | undefined): void {
  const chat: ChatOptions = {};
  const gifts = str('gifts', 'ONSEAT_GIFTS');
  if (gifts !== undefined && gifts.trim() !== '') chat.gifts = loadGiftCatalogue(gifts.trim());
  const history = num('--chat-history', str('chat-history', 'ONSEAT_CHAT_HISTORY'));
  if (history !== undefined) chat.historySize = history;
  const maxLength = num('--chat-max-length', str('chat-max-length', 'ONSEAT_CHAT_MAX_LENGTH'));
  if (maxLength !== undefined) chat.maxTextLength = maxLength;
  const burst = num('--chat-rate-burst', str('chat-rate-burst', 'ONSEAT_CHAT_RATE_BURST'));
  if (burst !== undefined) chat.rateBurst = burst;
  const perSecond = num('--chat-rate-per-second', str('chat-rate-per-second', 'ONSEAT_CHAT_RATE_PER_SECOND'));
  if (perSecond !== undefined) chat.ratePerSecond = perSecond;
  const slice = num('--chat-slice-ms', str('chat-slice-ms', 'ONSEAT_CHAT_SLICE_MS'));
  if (slice !== undefined) chat.sliceMs = slice;
  const words = str('blocked-words', 'ONSEAT_BLOCKED_WORDS');
  if (words !== undefined && words.trim() !== '') chat.blockedWords = loadBlockedWords(words.trim());
  const mode = str('blocked-words-mode', 'ONSEAT_BLOCKED_WORDS_MODE');
  if (mode !== undefined && mode.trim() !== '') chat.wordFilterMode = mode.trim() as WordFilterMode;
  if (Object.keys(chat).length > 0) options.chat = chat;
}
