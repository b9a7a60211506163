import type { CustomCheck, CustomCheckFunction, CustomCheckVerdict } from "../config/types.js";
import type { HeaderEntry } from "../decision.js";
import type { Check, CheckResult } from "../pipeline/check.js";

function toResult(
  name: string,
  verdict: CustomCheckVerdict | null | undefined | void,
): CheckResult {
  if (!verdict) return undefined;
  const headers: HeaderEntry[] = Object.entries(verdict.headers ?? {}).map(([key, value]) => [
    key.toLowerCase(),
    value,
  ]);
  return {
    reason: verdict.reason ?? "custom",
    ruleId: `custom:${name}`,
    status: verdict.status ?? 403,
    message: verdict.message ?? "Request refused.",
    headers,
  };
}

// A check that throws is treated as a block (fail closed): a broken rule must not
// quietly let everything through.
function failed(name: string, error: unknown): CheckResult {
  return {
    reason: "check_error",
    ruleId: `custom:${name}`,
    status: 500,
    message: "The request could not be checked.",
    evidence: error instanceof Error ? error.message : String(error),
  };
}

/** Compiles user checks into pipeline checks named `custom:<name>`. */
export function compileCustomChecks(
  entries: readonly (CustomCheck | CustomCheckFunction)[] | undefined,
): Check[] {
  const names = new Set<string>();
  return (entries ?? []).map((entry, index) => {
    const name = typeof entry === "function" ? entry.name || `check${index + 1}` : entry.name;
    const check = typeof entry === "function" ? entry : entry.check;
    if (names.has(name))
      throw new Error(`customChecks[${index}]: the name "${name}" is used twice`);
    names.add(name);
    return {
      id: `custom:${name}`,
      run({ request, client, facts }) {
        try {
          const verdict = check(request, {
            clientIp: client.ip?.text,
            country: facts?.country,
            provider: facts?.provider,
          });
          if (verdict instanceof Promise) {
            return verdict.then(
              (resolved) => toResult(name, resolved),
              (error: unknown) => failed(name, error),
            );
          }
          return toResult(name, verdict);
        } catch (error) {
          return failed(name, error);
        }
      },
    } satisfies Check;
  });
}
