import type { WordFilterMode } from './options.js';

/** Outcome of filtering one text: unchanged, changed (blocked words replaced by `*`), or refused. */
export type FilterResult = { ok: true; text: string } | { ok: false; word: string };

/**
 * Case-insensitive search for blocked words (substrings, so "bad" also matches "badly"). In `replace` mode every
 * occurrence becomes as many `*` as it has characters; in `reject` mode the first one found refuses the text.
 */
export class WordFilter {
  readonly #words: readonly string[];
  readonly #pattern: RegExp | null;

  constructor(
    words: readonly string[],
    readonly mode: WordFilterMode,
  ) {
    // Longest first, so "badword" wins over "bad" when both are blocked.
    this.#words = [...new Set(words.map((w) => w.toLowerCase()))].filter((w) => w !== '').sort((a, b) => b.length - a.length);
    this.#pattern = this.#words.length > 0 ? new RegExp(this.#words.map(escape).join('|'), 'giu') : null;
  }

  get active(): boolean {
    return this.#pattern !== null;
  }

  apply(text: string): FilterResult {
    const re = this.#pattern;
    if (!re) return { ok: true, text };
    if (this.mode === 'reject') {
      re.lastIndex = 0;
      const m = re.exec(text);
      return m ? { ok: false, word: m[0] } : { ok: true, text };
    }
    return { ok: true, text: text.replace(re, (m) => '*'.repeat([...m].length)) };
  }
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
