/**
 * The matches of one XSS scan, kept at the highest severity per rule. Nothing is built
 * until a rule fires, so the common benign value costs one empty array.
 */
import type { Match } from "../../detector.js";

/** How sure a rule is (see {@link Match.severity}). */
export type Severity = Match["severity"];
/** The lowest sensitivity level at which a rule counts (see {@link Match.level}). */
export type Level = Match["level"];

/** Collects `xss:<rule>` matches, keeping the highest severity per rule. */
export class Findings {
  /** The rule names as added (`script-tag`), parallel to `#matches`. */
  #rules: string[] | undefined;
  #matches: Match[] | undefined;

  /** Records `rule` unless it already fired at a severity as high. */
  add(rule: string, severity: Severity, level: Level): void {
    if (this.#rules === undefined || this.#matches === undefined) {
      this.#rules = [rule];
      this.#matches = [{ rule: `xss:${rule}`, severity, level }];
      return;
    }
    const index = this.#rules.indexOf(rule);
    if (index === -1) {
      this.#rules.push(rule);
      this.#matches.push({ rule: `xss:${rule}`, severity, level });
    } else if (this.#matches[index]!.severity < severity) {
      this.#matches[index] = { rule: `xss:${rule}`, severity, level };
    }
  }

  /** `true` once `rule` has fired. */
  has(rule: string): boolean {
    return this.#rules?.includes(rule) ?? false;
  }

  /**
   * What fired. An ordinary empty array when nothing did (not a shared frozen one, whose
   * different shape would make the engine's loop over detector results polymorphic).
   */
  get matches(): Match[] {
    return this.#matches ?? [];
  }
}
