import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const sdk = fileURLToPath(new URL("../sdk/src", import.meta.url));

/**
 * The app imports the SDK as its users do (`@cityledger/sdk`, `@cityledger/sdk/<subpath>`), resolved to the SDK's
 * sources in this repository: the same rule as scripts/lib/resolve-sdk.js and the root tsconfig's `paths`, so the app
 * needs no SDK build. `npm run dev` proxies /v1 to a running node (CITY_NODE_URL, default `npm start`'s).
 */
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@cityledger\/sdk$/, replacement: `${sdk}/index.ts` },
      { find: /^@cityledger\/sdk\/([a-z][a-z0-9-]*)$/, replacement: `${sdk}/$1/index.ts` },
    ],
  },
  server: { proxy: { "/v1": { target: process.env.CITY_NODE_URL ?? "http://127.0.0.1:8787", changeOrigin: false } } },
  build: { reportCompressedSize: true, chunkSizeWarningLimit: 400 },
});
