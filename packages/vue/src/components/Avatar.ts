import { computed, defineComponent, h, shallowRef, watch, type CSSProperties, type PropType } from 'vue';
import { t } from '../kit/i18n.js';

/** Avatar size: a named step or pixels. */
export type AvatarSize = 'xxl' | 'xl' | 'lg' | 'md' | 'sm' | 'xs' | number;
/** Avatar outline. */
export type AvatarShape = 'circular' | 'square' | 'rounded';

/** The picture shown when a user has no avatar (or it fails to load): a neutral silhouette, an inline SVG. */
export const DEFAULT_USER_AVATAR =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#c9cdd4"/>' +
      '<circle cx="32" cy="25" r="12" fill="#fff"/><path d="M10 58c2-12 11-19 22-19s20 7 22 19z" fill="#fff"/></svg>',
  );

const SIZES: Record<Exclude<AvatarSize, number>, number> = { xxl: 64, xl: 56, lg: 48, md: 40, sm: 32, xs: 24 };

/**
 * A user's avatar (AtomicX `Avatar`): the picture (`src`, falling back to {@link DEFAULT_USER_AVATAR}), an online dot
 * (`isShowOnlineStatus`, `isOnline`) and an unread badge (`unreadCount`, capped by `maxUnreadCount` as "99+", or a
 * dot with `isDotUnreadCount`). With an `onClick` listener it is a button (Enter/Space). CSS variables:
 * `--onseat-avatar-bg`, `--onseat-avatar-online`, `--onseat-avatar-badge-bg`, `--onseat-avatar-badge-fg`.
 */
export const Avatar = defineComponent({
  name: 'OnseatAvatar',
  props: {
    src: { type: String, default: undefined },
    size: { type: [String, Number] as PropType<AvatarSize>, default: 'md' },
    shape: { type: String as PropType<AvatarShape>, default: 'circular' },
    alt: { type: String, default: undefined },
    className: { type: String, default: undefined },
    style: { type: Object as PropType<CSSProperties>, default: undefined },
    onClick: { type: Function as PropType<() => void>, default: undefined },
    isShowOnlineStatus: { type: Boolean, default: false },
    isOnline: { type: Boolean, default: false },
    unreadCount: { type: Number, default: 0 },
    maxUnreadCount: { type: Number, default: 99 },
    isDotUnreadCount: { type: Boolean, default: false },
  },
  setup(props) {
    const failed = shallowRef(false);
    watch(
      () => props.src,
      () => (failed.value = false),
    );
    const px = computed(() => (typeof props.size === 'number' ? props.size : SIZES[props.size]));
    const radius = computed(() => (props.shape === 'circular' ? '50%' : props.shape === 'rounded' ? `${Math.round(px.value / 5)}px` : '0'));
    return () => {
      const src = props.src && !failed.value ? props.src : DEFAULT_USER_AVATAR;
      const clickable = typeof props.onClick === 'function';
      const badge =
        props.unreadCount > 0
          ? h(
              'span',
              {
                class: 'onseat-avatar-badge',
                'aria-label': `${props.unreadCount} unread`,
                style: {
                  position: 'absolute',
                  top: '-4px',
                  right: '-4px',
                  minWidth: props.isDotUnreadCount ? '8px' : '16px',
                  height: props.isDotUnreadCount ? '8px' : '16px',
                  padding: props.isDotUnreadCount ? '0' : '0 4px',
                  borderRadius: '999px',
                  background: 'var(--onseat-avatar-badge-bg, #e5484d)',
                  color: 'var(--onseat-avatar-badge-fg, #fff)',
                  font: '600 10px/16px system-ui, sans-serif',
                  textAlign: 'center',
                  boxSizing: 'border-box',
                },
              },
              props.isDotUnreadCount ? '' : props.unreadCount > props.maxUnreadCount ? `${props.maxUnreadCount}+` : String(props.unreadCount),
            )
          : null;
      const online = props.isShowOnlineStatus
        ? h('span', {
            class: ['onseat-avatar-status', props.isOnline ? 'is-online' : 'is-offline'],
            'aria-label': props.isOnline ? 'online' : 'offline',
            style: {
              position: 'absolute',
              right: '0',
              bottom: '0',
              width: `${Math.max(6, Math.round(px.value / 5))}px`,
              height: `${Math.max(6, Math.round(px.value / 5))}px`,
              borderRadius: '50%',
              border: '2px solid #fff',
              background: props.isOnline ? 'var(--onseat-avatar-online, #30a46c)' : '#8b8d98',
            },
          })
        : null;
      return h(
        'span',
        {
          class: ['onseat-avatar', `onseat-avatar-${props.shape}`, props.className ?? ''],
          role: clickable ? 'button' : undefined,
          tabindex: clickable ? 0 : undefined,
          onClick: clickable ? () => props.onClick?.() : undefined,
          onKeydown: clickable
            ? (e: KeyboardEvent) => {
                if (e.key !== 'Enter' && e.key !== ' ') return;
                e.preventDefault();
                props.onClick?.();
              }
            : undefined,
          style: {
            position: 'relative',
            display: 'inline-flex',
            flex: 'none',
            width: `${px.value}px`,
            height: `${px.value}px`,
            cursor: clickable ? 'pointer' : undefined,
            ...(props.style ?? {}),
          },
        },
        [
          h('img', {
            src,
            alt: props.alt ?? t('Avatar'),
            draggable: false,
            onError: () => (failed.value = true),
            style: { width: '100%', height: '100%', objectFit: 'cover', borderRadius: radius.value, background: 'var(--onseat-avatar-bg, #c9cdd4)' },
          }),
          online,
          badge,
        ],
      );
    };
  },
});
