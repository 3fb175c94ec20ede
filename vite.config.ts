// The screens: built from renderer/ into dist/renderer, which serve mode and the Electron
// window load. No dev server in tests: they build once and serve the result like production.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: '/',
  publicDir: false,
  esbuild: { jsx: 'automatic' },
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'chrome120', sourcemap: false },
});
