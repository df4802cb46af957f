import { readFileSync } from 'node:fs';
import { GiftCategory } from '@onseat/protocol';
import { ChatOptionsError } from './options.js';

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** A category or gift from a file with the optional fields filled in (`desc`, `iconUrl`, `level`, `extensionInfo`...). */
function withDefaults(c: unknown): unknown {
  const cat = obj(c);
  const gifts = cat['giftList'];
  return {
    desc: '',
    extensionInfo: {},
    ...cat,
    giftList: Array.isArray(gifts) ? gifts.map((g) => ({ desc: '', iconUrl: '', resourceUrl: '', level: 1, extensionInfo: {}, ...obj(g) })) : gifts,
  };
}

/**
 * Checks a parsed catalogue (a JSON array of categories, each `{categoryID, name, giftList: [{giftID, name, coins}]}`
 * plus optional `desc`, `iconUrl`, `resourceUrl`, `level`, `extensionInfo`) and fills the defaults. Gift ids must be
 * unique and non-empty; `coins` is a whole number ≥ 0.
 */
export function parseGiftCatalogue(json: unknown, source = 'gift catalogue'): GiftCategory[] {
  if (!Array.isArray(json) || json.length === 0) throw new ChatOptionsError(`${source}: expected a non-empty JSON array of gift categories`);
  const seen = new Set<string>();
  return json.map((c, i) => {
    const r = GiftCategory.safeParse(withDefaults(c));
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new ChatOptionsError(`${source}: category #${i + 1}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
    }
    if (r.data.categoryID === '') throw new ChatOptionsError(`${source}: category #${i + 1} has an empty categoryID`);
    for (const g of r.data.giftList) {
      if (g.giftID === '' || g.giftID.length > 128) throw new ChatOptionsError(`${source}: gift ids must be 1-128 characters`);
      if (seen.has(g.giftID)) throw new ChatOptionsError(`${source}: gift id "${g.giftID}" appears twice`);
      seen.add(g.giftID);
    }
    return r.data;
  });
}

/** Reads `--gifts <file>`: a JSON array of `{categoryID, name, giftList: [{giftID, name, coins, iconUrl?, ...}]}`. */
export function loadGiftCatalogue(file: string): GiftCategory[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ChatOptionsError(`cannot read the gift catalogue ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ChatOptionsError(`the gift catalogue ${file} is not JSON: ${(e as Error).message}`);
  }
  return parseGiftCatalogue(json, file);
}

/** Reads a blocked-words file: one word or phrase per line; empty lines and lines starting with `#` are skipped. */
export function loadBlockedWords(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ChatOptionsError(`cannot read the blocked-words file ${file}: ${(e as Error).message}`);
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
