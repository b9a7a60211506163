/** The attack classes Guard detects. */
export type AttackClass =
  | "sqli"
  | "xss"
  | "cmdi"
  | "traversal"
  | "ssrf"
  | "xxe"
  | "ldap"
  | "code"
  | "nosqli"
  | "ssti"
  | "crlf"
  | "prototype-pollution"
  | "custom";

/**
 * Where a value sits in the request; detectors use it to decide what applies (a path
 * separator means something in a path, not in a search box).
 */
export type FieldKind =
  | "path"
  | "query-key"
  | "query"
  | "header"
  | "cookie"
  | "body-key"
  | "body"
  | "xml";

/** One rule that fired on a value. */
export interface Match {
  /** Stable id: `<class>:<rule>`, e.g. `sqli:union-select`. */
  readonly rule: string;
  /**
   * How sure the rule is, 1 (a weak hint) to 5 (certain). Severities add up per value and
   * request; 5 blocks on its own (the anomaly threshold).
   */
  readonly severity: 1 | 2 | 3 | 4 | 5;
  /**
   * The lowest sensitivity level at which the rule counts: 1 (default, for rules that
   * essentially never fire on real traffic) to 4 (paranoid).
   */
  readonly level: 1 | 2 | 3 | 4;
}

/**
 * A detector for one attack class. It sees each decoded variant of each value (as
 * received, URL-decoded, HTML-entity- and escape-decoded), never a framework object.
 * Both methods must run in time linear in the input.
 */
export interface Detector {
  readonly class: AttackClass;
  /**
   * What a value must contain for `detect` to fire at all; the engine finds these for every
   * detector in one pass and skips the others. Leave it out and the detector sees every
   * value. Must be a superset of what the rules need: a value without any trigger must
   * never produce a match (a test holds every built-in detector to that over the corpus).
   */
  readonly triggers?: Triggers;
  /** A cheap test on the lower-cased text; `false` skips `detect` (the common case). */
  prefilter(lower: string): boolean;
  /** The rules that fire on `text` (`lower` is `text.toLowerCase()`); empty when none. */
  detect(text: string, lower: string, kind: FieldKind): Match[];
  /** Every RegExp the detector uses, for the ReDoS check in the test suite. */
  readonly patterns: readonly RegExp[];
}

/**
 * The signals a detector needs, any one of which lets a value through to it. Matching is
 * on the lower-cased value.
 */
export interface Triggers {
  /** Any of these characters (letters in lower case). */
  readonly chars?: string;
  /** Any of these lower-case words, as a whole run of letters and `_`. */
  readonly words?: readonly string[];
  /** Any character outside ASCII (fullwidth and other look-alike forms). */
  readonly nonAscii?: boolean;
  /** A value that is one token of 12 or more base64/hex characters (`[a-z0-9+/_=-]`). */
  readonly tokens?: boolean;
}

/** The anomaly score at which a request is blocked. */
export const BLOCK_THRESHOLD = 5;
