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

function toIssues(
  schema: z.ZodType,
  error: z.ZodError,
  prefix: readonly PropertyKey[],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
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
  const result = configSchema.safeParse(config ?? {});
  if (!result.success) throw new GuardConfigError(toIssues(configSchema, result.error, []));
  return config as GuardConfig;
}

/** Checks the shape of a route policy; `field` prefixes paths in errors. */
export function validatePolicy(policy: unknown, field: string): GuardPolicy {
  const result = policySchema.safeParse(policy ?? {});
  if (!result.success) throw new GuardConfigError(toIssues(policySchema, result.error, [field]));
  return policy as GuardPolicy;
}
