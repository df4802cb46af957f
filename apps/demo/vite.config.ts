import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/** The onseat server the dev server (`npm run dev -w @onseat/demo`) forwards signalling and tokens to. */
const onseat = process.env['ONSEAT_URL'] ?? 'http://127.0.0.1:5080';

// Workspace packages resolve to their TypeScript sources (the "source" export condition), so the demo needs no
// separate build of @onseat/vue or @onseat/client.
export default defineConfig({
  plugins: [vue()],
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  server: {
    proxy: {
      '/v1': { target: onseat, ws: true },
      '/dev': onseat,
      '/healthz': onseat,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1000,
    rollupOptions: {
      // zod's sources carry /*@__PURE__*/ comments in places Rollup ignores; the warning is noise for this app.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/zod/')) return;
        warn(warning);
      },
    },
  },
});
