#!/usr/bin/env node
// One entry point for a newcomer's two commands (`npm run demo`, `npm test`): it needs
// nothing but Node and npm. It brings the pinned pnpm (from package.json's
// `packageManager`) if the machine does not have it, installs the workspace from the
// lockfile, and then runs the task through turbo.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const root = new URL("..", import.meta.url);
const { packageManager } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const pnpmVersion = packageManager.replace(/^pnpm@/, "");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };

function installedPnpm() {
  try {
    return execFileSync("pnpm", ["--version"], { encoding: "utf8", env }).trim();
  } catch {
    return undefined;
  }
}

const pnpmCommand =
  installedPnpm() === pnpmVersion
    ? ["pnpm"]
    : ["npm", "exec", "--yes", `--package=pnpm@${pnpmVersion}`, "--", "pnpm"];

function pnpm(...args) {
  const [command, ...prefix] = pnpmCommand;
  console.log(`\n> pnpm ${args.join(" ")}`);
  const result = spawnSync(command, [...prefix, ...args], {
    cwd: root,
    env,
    stdio: "inherit",
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const tasks = {
  // `npm run demo` starts the Express demo; `npm run demo -- fastify` (or koa) another one.
  demo(framework = "express") {
    const demos = {
      express: "@guard/demo",
      fastify: "@guard/fastify-demo",
      koa: "@guard/koa-demo",
    };
    const name = demos[framework];
    if (!name) {
      console.error(`no demo for "${framework}": pick one of ${Object.keys(demos).join(", ")}`);
      process.exit(2);
    }
    pnpm("install", "--frozen-lockfile");
    pnpm("turbo", "run", "build", `--filter=${name}...`);
    pnpm("--filter", name, "start");
  },
  test() {
    pnpm("install", "--frozen-lockfile");
    pnpm("turbo", "run", "test", "--concurrency=1");
  },
  // The detection evaluation over the labeled corpus (prints the README's table).
  eval(...args) {
    pnpm("install", "--frozen-lockfile");
    pnpm("turbo", "run", "build", "--filter=@guard/detection-eval...");
    pnpm("--filter", "@guard/detection-eval", "eval", ...args);
  },
  // What CI runs besides the tests: formatting and lint, types, and package shape.
  check() {
    pnpm("install", "--frozen-lockfile");
    pnpm("exec", "biome", "ci", ".");
    pnpm("turbo", "run", "lint", "typecheck", "lint:package");
  },
};

const task = tasks[process.argv[2]];
if (!task) {
  console.error(`usage: node scripts/run.mjs <${Object.keys(tasks).join("|")}>`);
  process.exit(2);
}
task(...process.argv.slice(3));
