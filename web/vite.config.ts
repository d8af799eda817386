import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The build lands in the jar's classpath under /web, which the hub serves at its root.
// `npm run dev` proxies the API to a hub on 127.0.0.1:8080.
export default defineConfig({
  plugins: [react()],
  base: './',
  build: {
    outDir: 'target/classes/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', ws: true },
      '/downloads': 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
