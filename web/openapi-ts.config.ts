import { defineConfig } from "@hey-api/openapi-ts";

// Generated from the api's schema (web/openapi.json, dumped by scripts/gen-client.sh).
// Never edit src/client by hand.
export default defineConfig({
  input: "openapi.json",
  output: { path: "src/client", postProcess: [] },
  plugins: [
    { name: "@hey-api/client-fetch", throwOnError: true },
    "@hey-api/typescript",
    "@hey-api/sdk",
  ],
});
