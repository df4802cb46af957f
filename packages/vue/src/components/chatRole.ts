import { Role } from '@onseat/client';
import { computed, type ComputedRef } from 'vue';
import { useOnseat } from '../instance.js';

/** The local user's id and whether they are the owner or an administrator of the current live. */
export function useLocalHost(): { userId: ComputedRef<string>; isHost: ComputedRef<boolean>; isOwner: ComputedRef<boolean> } {
  const onseat = useOnseat();
  const login = onseat.useLoginState();
  const list = onseat.useLiveListState();
  const audience = onseat.useLiveAudienceState();
  const userId = computed(() => login.loginUserInfo.value?.userId ?? '');
  const isOwner = computed(() => userId.value !== '' && list.currentLive.value?.liveOwner.userId === userId.value);
  const isHost = computed(
    () => isOwner.value || audience.audienceList.value.some((a) => a.userId === userId.value && a.userRole === Role.Administrator),
  );
  return { userId, isHost, isOwner };
}

/** The message of an error from the SDK, with its code when it has one. */
export function errorText(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return typeof e?.code === 'number' ? `${message} (${e.code})` : message;
}
