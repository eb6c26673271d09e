import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The gateway serves the build (dist/, embedded in its binary). `npm run dev` serves the
// sources with hot reloading and sends the API's paths to a gateway on :8080.
const gateway = process.env.PASSERELLE_URL ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // GraphiQL's editor (Monaco) is large; the app's own pages stay small.
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: { app: 'index.html', graphiql: 'graphiql.html' },
      onwarn(warning, warn) {
        // GraphiQL's modules carry React Compiler directives the bundler drops: harmless.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/graphql': { target: gateway, ws: true },
      '/auth': gateway,
      '/calendar': gateway,
      '^/sessions/.*\\.ics$': gateway,
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
