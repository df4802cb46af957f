import type { Gift, GiftInfo } from '@onseat/client';
import { LiveGiftEvents } from '@onseat/client';
import { defineComponent, h, onBeforeUnmount, ref } from 'vue';
import { useOnseat } from '../instance.js';
import { errorText } from './chatRole.js';

/** Gifts shown in the "received" strip. */
const RECENT = 5;

/**
 * The gift bar and like button of the current live (AtomicX `LiveGift`): every gift of the catalogue by category
 * (icon, name, price) sends one on click; the heart likes the live and shows `totalLikeCount`; the last gifts anyone
 * sent are listed ("a sent Rose ×3"). Errors (gifts disabled 40041, ...) are shown under the bar. No props.
 * Classes: `onseat-live-gift`, `onseat-gift-item` (with `data-gift-id`), `onseat-like-button`, `onseat-like-count`,
 * `onseat-gift-received`, `onseat-gift-error`.
 */
export const LiveGift = defineComponent({
  name: 'LiveGift',
  setup() {
    const gift = useOnseat().useLiveGiftState();
    const recent = ref<Gift[]>([]);
    const error = ref('');
    const onGift = (g: Gift) => {
      recent.value = [...recent.value, g].slice(-RECENT);
    };
    gift.subscribeEvent(LiveGiftEvents.ON_RECEIVE_GIFT_MESSAGE, onGift);
    onBeforeUnmount(() => gift.unsubscribeEvent(LiveGiftEvents.ON_RECEIVE_GIFT_MESSAGE, onGift));
    const run = (p: Promise<void>) => {
      error.value = '';
      p.catch((e: unknown) => (error.value = errorText(e)));
    };
    const giftButton = (g: GiftInfo) =>
      h(
        'button',
        {
          key: g.giftID,
          type: 'button',
          class: 'onseat-gift-item',
          'data-gift-id': g.giftID,
          title: `${g.name} (${g.coins})`,
          'aria-label': `Send ${g.name} (${g.coins} coins)`,
          style: { display: 'inline-flex', flexDirection: 'column', alignItems: 'center', padding: '4px', minWidth: '52px' },
          onClick: () => run(gift.sendGift({ giftId: g.giftID, count: 1 })),
        },
        [
          g.iconUrl ? h('img', { src: g.iconUrl, alt: '', style: { width: '28px', height: '28px' } }) : null,
          h('span', { style: { fontSize: '11px' } }, g.name),
          h('span', { style: { fontSize: '10px', opacity: 0.7 } }, String(g.coins)),
        ],
      );
    return () =>
      h('div', { class: 'onseat-live-gift' }, [
        h('div', { style: { display: 'flex', flexWrap: 'wrap', gap: '4px', alignItems: 'center' } }, [
          ...gift.giftInfoList.value.flatMap((c) => c.giftList.map(giftButton)),
          h(
            'button',
            {
              type: 'button',
              class: 'onseat-like-button',
              title: 'Like',
              'aria-label': `Like (${gift.totalLikeCount.value})`,
              onClick: () => run(gift.sendLike()),
            },
            ['❤ ', h('span', { class: 'onseat-like-count' }, String(gift.totalLikeCount.value))],
          ),
        ]),
        h(
          'ul',
          { class: 'onseat-gift-received', style: { listStyle: 'none', margin: '4px 0 0', padding: 0, fontSize: '12px' } },
          recent.value.map((g, i) => h('li', { key: i }, `${g.sender.userName || g.sender.userId} sent ${g.giftInfo.name} ×${g.giftCount}`)),
        ),
        error.value ? h('div', { class: 'onseat-gift-error', role: 'alert', style: { color: '#d33', fontSize: '12px' } }, error.value) : null,
      ]);
  },
});
