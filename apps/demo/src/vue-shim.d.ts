// A `.vue` import as plain TypeScript sees it (typescript-eslint's type-aware rules run on tsc, not vue-tsc). vue-tsc
// and Vite resolve the real single-file components and never use this fallback.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
