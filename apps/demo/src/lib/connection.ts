import { getDefaultOnseat, LoginStatus, useLoginState } from '@onseat/vue';
import { onUnmounted, ref, watch, type Ref } from 'vue';

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/**
 * The signalling connection's state while signed in: `reconnecting` after the server restarted or the network
 * dropped (the SDK reconnects and resumes the live by itself), `connected` again once it caught up.
 */
export function useConnectionState(): Ref<ConnectionState> {
  const { loginStatus } = useLoginState();
  const state = ref<ConnectionState>('disconnected');
  let off: (() => void) | undefined;
  watch(
    loginStatus,
    (status) => {
      off?.();
      off = undefined;
      const client = status === LoginStatus.LOGINED ? getDefaultOnseat().stores.client : null;
      state.value = client?.state ?? 'disconnected';
      if (client) off = client.on('state', (s) => (state.value = s.state));
    },
    { immediate: true },
  );
  onUnmounted(() => off?.());
  return state;
}
