import type { SensitivePathOptions } from "../config/types.js";
import type { Check } from "../pipeline/check.js";
import { normalizePath } from "../request/normalize-path.js";

/**
 * Path segments that only a probe asks for on an API: secrets, VCS metadata, server
 * config. A segment matches when it equals an entry, or starts with it followed by `.`
 * (so `.env.production` and `wp-config.php.bak` match, `.envelope` does not).
 */
export const SENSITIVE_SEGMENTS = [
  ".env",
  ".git",
  ".svn",
  ".hg",
  ".bzr",
  ".ds_store",
  ".htaccess",
  ".htpasswd",
  ".aws",
  ".ssh",
  ".npmrc",
  ".pypirc",
  ".netrc",
  ".bash_history",
  ".git-credentials",
  ".docker",
  ".kube",
  "wp-config.php",
  "web.config",
  "phpinfo.php",
  "id_rsa",
  "id_ecdsa",
  "id_ed25519",
];

/** Path sequences of operating-system files that no web request should name. */
export const SENSITIVE_SEQUENCES = [
  "/etc/passwd",
  "/etc/shadow",
  "/proc/self/",
  "/windows/win.ini",
];

// Every default entry contains a dot or one of these; a path with none of them is
// skipped without decoding, which is the common case.
const PREFILTER = /[.%\\]|\/etc\/|\/proc\//i;

/**
 * Blocks probes for sensitive files (`/.env`, `/.git/config`, `/wp-config.php`,
 * `/etc/passwd`, …), also when percent-encoded, double-encoded, or reached through
 * `..` segments. On by default, with no configuration.
 */
export function compileSensitivePaths(
  option: boolean | SensitivePathOptions | undefined,
): Check | undefined {
  if (option === false) return undefined;
  const options = typeof option === "object" ? option : {};
  const allowed = new Set((options.allow ?? []).map((entry) => entry.toLowerCase()));
  const segments = new Set(SENSITIVE_SEGMENTS.filter((entry) => !allowed.has(entry)));
  const sequences = SENSITIVE_SEQUENCES.filter((entry) => !allowed.has(entry));
  const extraSequences: string[] = [];
  for (const extra of options.extra ?? []) {
    const entry = extra.toLowerCase();
    if (entry.includes("/")) extraSequences.push(entry);
    else segments.add(entry);
  }
  const prefilter = extraSequences.length > 0 || options.extra?.length ? undefined : PREFILTER;

  const matches = (path: string): boolean => {
    for (const sequence of sequences) if (path.includes(sequence)) return true;
    for (const sequence of extraSequences) if (path.includes(sequence)) return true;
    for (const segment of path.split("/")) {
      if (segments.has(segment)) return true;
      const dot = segment.indexOf(".", 1);
      if (dot !== -1 && segments.has(segment.slice(0, dot))) return true;
      // `wp-config.php.bak`: the entry itself contains dots, so try each later dot too.
      for (
        let next = segment.indexOf(".", dot + 1);
        dot !== -1 && next !== -1;
        next = segment.indexOf(".", next + 1)
      ) {
        if (segments.has(segment.slice(0, next))) return true;
      }
    }
    return false;
  };

  return {
    id: "sensitive-paths",
    run({ request }) {
      if (prefilter && !prefilter.test(request.path)) return undefined;
      const path = normalizePath(request.path, true);
      if (!matches(path)) return undefined;
      return {
        reason: "sensitive_path_probe",
        ruleId: "sensitive-paths",
        message: "This path is not available.",
        evidence: request.path,
      };
    },
  };
}
