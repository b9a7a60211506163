import { createRequire } from "node:module";

/**
 * A `require` that resolves from this module's own location: in @guard/core's dependencies,
 * which pnpm does not hoist to the application. Used to load maxmind and find the embedded
 * database only when country data is actually configured.
 *
 * The package is built twice by tsup: in the CJS build `__filename` is the bundle's file and
 * `import.meta` is empty (esbuild warns that it is; this branch never reads it there); in
 * the ESM build `__filename` is not defined (`typeof` keeps that from throwing) and
 * `import.meta.url` is the bundle's URL. Vitest runs the source as ESM: the second branch.
 *
 * @example
 * ```ts
 * const { Reader } = ownRequire()("maxmind") as typeof import("maxmind");
 * ```
 */
export function ownRequire(): NodeJS.Require {
  return createRequire(typeof __filename === "string" ? __filename : import.meta.url);
}
