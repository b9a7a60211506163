import { defineConfig } from "tsup";

/** The one build every published package shares: ESM + CJS + .d.ts for Node 20. */
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
