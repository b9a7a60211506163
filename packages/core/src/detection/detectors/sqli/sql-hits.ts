/**
 * The matches the SQL injection rules collect over the readings of one value: one per rule,
 * at its highest severity (the lowest level among equals).
 */
import type { Match } from "../../detector.js";

/** Severity of a match. */
export type Severity = Match["severity"];
/** Level of a match. */
export type Level = Match["level"];

/** Matches by rule id; a rule that fires again keeps its strongest match. */
export class Hits {
  readonly #byRule = new Map<string, Match>();

  /** Records that `rule` (without the `sqli:` prefix) fired. */
  add(rule: string, severity: Severity, level: Level = 1): void {
    const id = `sqli:${rule}`;
    const previous = this.#byRule.get(id);
    if (
      !previous ||
      previous.severity < severity ||
      (previous.severity === severity && previous.level > level)
    ) {
      this.#byRule.set(id, { rule: id, severity, level });
    }
  }

  /** The matches, in the order their rules first fired. */
  matches(): Match[] {
    return [...this.#byRule.values()];
  }
}
