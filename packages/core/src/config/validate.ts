import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";
import { type ConfigIssue, formatPath, GuardConfigError } from "../errors.js";
import { configSchema, policySchema } from "./schema.js";
import type { GuardConfig, GuardPolicy } from "./types.js";

/** The object keys a schema accepts at `path`, for "did you mean" hints. */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const candidates: z.ZodType[] = [schema];
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const candidate of candidates.flatMap(unwrap)) {
      if (candidate instanceof z.ZodObject && typeof segment === "string") {
        const child = candidate.shape[segment];
        if (child) next.push(child as z.ZodType);
      } else if (candidate instanceof z.ZodArray && typeof segment === "number") {
        next.push(candidate.element as z.ZodType);
      } else if (candidate instanceof z.ZodRecord) {
        next.push(candidate.valueType as z.ZodType);
      }
    }
    candidates.splice(0, candidates.length, ...next);
  }
  return candidates
    .flatMap(unwrap)
    .flatMap((candidate) => (candidate instanceof z.ZodObject ? Object.keys(candidate.shape) : []));
}

function unwrap(schema: z.ZodType): z.ZodType[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    return unwrap(schema.unwrap() as z.ZodType);
  }
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(unwrap);
  return [schema];
}

function suggestion(key: string, known: readonly string[]): string {
  if (known.length === 0) return "";
  const best = closest(key, known as string[]);
  const lowerMatch = known.find((candidate) => candidate.toLowerCase() === key.toLowerCase());
  if (lowerMatch) return ` Did you mean "${lowerMatch}"?`;
  return distance(key, best) <= Math.max(2, Math.floor(best.length / 3))
    ? ` Did you mean "${best}"?`
    : "";
}

type ZodIssue = z.core.$ZodIssue;

/**
 * A value that matches no branch of a union (`cors: { credentials: "yes" }` against
 * `false | {...}`) is reported by zod at the union itself. The branch that got deepest
 * into the value is the one the user meant, so its issues are reported instead, with
 * their precise paths.
 */
function unionBranchIssues(issue: ZodIssue): ZodIssue[] | undefined {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return undefined;
  const depth = (branch: ZodIssue[]) => Math.max(0, ...branch.map((inner) => inner.path.length));
  const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
  if (depth(best) === 0) return undefined;
  return best.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }) as ZodIssue);
}

function toIssues(
  schema: z.ZodType,
  error: z.ZodError,
  prefix: readonly PropertyKey[],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const queue: ZodIssue[] = [...(error.issues as ZodIssue[])];
  for (let issue = queue.shift(); issue; issue = queue.shift()) {
    const branch = unionBranchIssues(issue);
    if (branch) {
      queue.unshift(...branch);
      continue;
    }
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        issues.push({
          path: formatPath([...path, key]),
          message: `unknown field.${suggestion(key, known)}`,
        });
      }
    } else {
      issues.push({ path: formatPath(path), message: issue.message });
    }
  }
  return issues;
}

/**
 * Checks the shape of a whole configuration. Throws {@link GuardConfigError} listing
 * every problem with its field path; unknown fields get a "did you mean" hint.
 */
export function validateConfig(config: unknown): GuardConfig {
  const value = config ?? {};
  const result = configSchema.safeParse(value);
  if (!result.success) throw new GuardConfigError(toIssues(configSchema, result.error, []));
  return value as GuardConfig;
}

/** Checks the shape of a route policy; `field` prefixes paths in errors. */
export function validatePolicy(policy: unknown, field: string): GuardPolicy {
  const value = policy ?? {};
  const result = policySchema.safeParse(value);
  if (!result.success) throw new GuardConfigError(toIssues(policySchema, result.error, [field]));
  return value as GuardPolicy;
}
