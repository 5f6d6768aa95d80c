import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The FastAPI app serves this build at /dashboard/ (SPA fallback to index.html for any path below it).
const outDir = fileURLToPath(new URL("../saleor_upsell_app/static/dashboard/", import.meta.url));

export default defineConfig({
  base: "/dashboard/",
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: {
    // `npm run dev` proxies the API to a locally running app (make run).
    proxy: { "/graphql": "http://127.0.0.1:8000" },
  },
  test: {
    environment: "happy-dom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
  },
});
