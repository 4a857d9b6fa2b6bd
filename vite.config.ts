import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ProxyOptions } from 'vite';

const root = fileURLToPath(new URL('./src-renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./out/renderer', import.meta.url));

/**
 * `npm run dev:renderer` with VSSL_DEV_SERVER set to the URL `vssl serve` printed: the dev server
 * forwards /api, /events and /media to it, presenting the token and the server's own origin.
 */
function devProxy(): Record<string, ProxyOptions> | undefined {
  const printed = process.env.VSSL_DEV_SERVER;
  if (!printed) return undefined;
  const url = new URL(printed);
  const token = url.searchParams.get('token');
  if (!token) throw new Error('VSSL_DEV_SERVER must be the full URL printed by "vssl serve" (with ?token=).');
  const options: ProxyOptions = {
    target: url.origin,
    changeOrigin: true,
    headers: { Authorization: `Bearer ${token}`, Origin: url.origin },
  };
  return { '/api': options, '/media': options, '/events': { ...options, ws: true } };
}

export default defineConfig({
  root,
  // Relative asset URLs: Electron loads the built page from file://, web mode from the server root.
  base: './',
  plugins: [svelte({ configFile: false })],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    fs: { allow: [fileURLToPath(new URL('.', import.meta.url))] },
    proxy: devProxy(),
  },
});
