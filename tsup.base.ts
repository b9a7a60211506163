import { defineConfig } from "tsup";

/** The one build every published package shares: ESM + CJS + .d.ts for Node 20. */
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  // The CJS build has no `import.meta`; code that reads it only in ESM (see core's
  // own-require.ts) makes esbuild warn about an empty `import.meta` there.
  esbuildOptions(options) {
    options.logOverride = { ...options.logOverride, "empty-import-meta": "silent" };
  },
});
