/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.WORKSPACE_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    sourcemap: false,
    // dist/.vite/manifest.json: lets scripts/first-page-size.mjs follow each page's imports.
    manifest: true,
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npm run dev`: the api serves /api, /notebooks and the docs; Vite serves the app.
    proxy: {
      "/api": { target: api, ws: true, changeOrigin: false },
      "/notebooks": { target: api, ws: true },
      "/docs": api,
      "/openapi.json": api,
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
