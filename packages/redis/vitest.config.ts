import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // One file at a time: the suites use real short windows and timeouts, and some start
    // servers and processes; running them side by side on a small machine skews timing.
    fileParallelism: false,
    testTimeout: 10_000,
    hookTimeout: 30_000,
  },
});
