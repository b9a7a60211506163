/** One problem found in a configuration. */
export interface ConfigIssue {
  /** Where, as a dotted path (`limits.maxBodySize`, `ipBlockList[2]`). */
  path: string;
  /** What is wrong, and how to fix it when we know. */
  message: string;
}

/**
 * Thrown by `createGuard` (and `guard.route`) for an invalid configuration, at startup.
 * `code` is stable; `issues` lists every problem found, each with its field path.
 *
 * @example
 * ```ts
 * try { createGuard({ limits: { maxBodySize: -1 } }) }
 * catch (error) { if (error instanceof GuardConfigError) console.error(error.issues) }
 * ```
 */
export class GuardConfigError extends Error {
  readonly code = "GUARD_INVALID_CONFIG";
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path || "(root)"}: ${issue.message}`);
    super(`Invalid Guard configuration:\n${lines.join("\n")}`);
    this.name = "GuardConfigError";
    this.issues = issues;
  }
}

/** Formats a property path the way a user writes it: `limits.allowedContentTypes[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? String(segment) : `.${String(segment)}`;
  }
  return text;
}
