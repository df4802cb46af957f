import { getDefaultOnseat } from '@onseat/vue';
import { createApp } from 'vue';
import App from './App.vue';
import './styles.css';

createApp(App).mount('#app');

// Read-only hook for the demo's end-to-end tests (apps/demo/test/e2e): inbound RTP counters per remote user and kind
// (`${userId}:video` → framesDecoded, …) from the receiving RTCPeerConnection's getStats(). Exposes no controls.
(window as unknown as { __onseat?: unknown }).__onseat = Object.freeze({
  inboundStats: () => getDefaultOnseat().stores.remoteMedia.inboundStats(),
});
