import type { GiftCategory, GiftInfo } from '@onseat/protocol';

const gift = (giftID: string, name: string, coins: number, level: number, icon: string): GiftInfo => ({
  giftID,
  name,
  desc: '',
  // An emoji as a data URL: the catalogue works offline and without an asset server.
  iconUrl: `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><text x="50%" y="54%" font-size="48" text-anchor="middle" dominant-baseline="middle">${icon}</text></svg>`)}`,
  resourceUrl: '',
  level,
  coins,
  extensionInfo: {},
});

/** The catalogue a server uses when `--gifts` names no file: two categories, six gifts. */
export const DEFAULT_GIFTS: readonly GiftCategory[] = [
  {
    categoryID: 'popular',
    name: 'Popular',
    desc: 'Small gifts',
    extensionInfo: {},
    giftList: [gift('rose', 'Rose', 1, 1, '🌹'), gift('heart', 'Heart', 5, 1, '❤️'), gift('star', 'Star', 10, 2, '⭐')],
  },
  {
    categoryID: 'special',
    name: 'Special',
    desc: 'Big gifts',
    extensionInfo: {},
    giftList: [gift('cake', 'Cake', 50, 2, '🎂'), gift('trophy', 'Trophy', 100, 3, '🏆'), gift('rocket', 'Rocket', 500, 4, '🚀')],
  },
];
