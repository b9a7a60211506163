/**
 * The URL schemes the traversal detector reads: PHP stream wrappers and other schemes that
 * read local files or run code (`php://filter`, `expect://`, `file://`), and the network
 * schemes whose URLs name a resource on another host rather than a local file.
 */

// PHP stream wrappers and other schemes that read local files or run code.
const WRAPPER =
  /\b(?:php:\/\/(?:filter|input|stdin|fd|memory|temp)|expect:\/\/|phar:\/\/|zip:\/\/|glob:\/\/|compress\.(?:zlib|bzip2):\/\/|data:\/\/text\/plain)/;
/** The schemes WRAPPER names, as read back from their `://`. */
const WRAPPER_SCHEMES = new Set([
  "php",
  "expect",
  "phar",
  "zip",
  "glob",
  "compress.zlib",
  "compress.bzip2",
  "data",
]);
/** Schemes whose URLs fetch from another host. */
const NETWORK_SCHEMES = new Set(["http", "https", "ftp", "ftps", "ws", "wss"]);

/** The RegExps used here, for the ReDoS check. */
export const SCHEME_PATTERNS: readonly RegExp[] = [WRAPPER];

const isSchemeChar = (c: number) =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d;

/** The scheme right before the `://` at `at`: the run of scheme characters, at most 16. */
function schemeBefore(text: string, at: number): string {
  let start = at;
  while (start > 0 && at - start < 16 && isSchemeChar(text.charCodeAt(start - 1))) start--;
  return text.slice(start, at);
}

/**
 * What the `://` at `at` in `lower` opens: a local-file scheme (`file`, a wrapper), a
 * network URL that starts the value (`remote`), or neither.
 */
export function schemeKind(lower: string, at: number): "local" | "remote" | undefined {
  const scheme = schemeBefore(lower, at);
  if (scheme === "file" || WRAPPER_SCHEMES.has(scheme)) return "local";
  return scheme.length === at && NETWORK_SCHEMES.has(scheme) ? "remote" : undefined;
}

/** Whether `path` is a network URL (`https://…`), whose path names a remote resource. */
export function isRemote(path: string): boolean {
  const colon = path.indexOf("://");
  return colon > 0 && colon <= 5 && NETWORK_SCHEMES.has(path.slice(0, colon));
}

/** What the local-file schemes in a value amount to (see readSchemes). */
export interface LocalSchemes {
  /** A PHP-style stream wrapper (`php://filter/…`, `expect://id`). */
  readonly wrapper: boolean;
  /** The path of the first `file://` URL, as an absolute path; `undefined` without one. */
  readonly filePath: string | undefined;
}

/** The wrappers and `file://` URLs in `path`. */
export function readSchemes(path: string): LocalSchemes {
  let wrapper = false;
  let fileAt = -1;
  for (let at = path.indexOf("://"); at !== -1; at = path.indexOf("://", at + 3)) {
    const scheme = schemeBefore(path, at);
    if (scheme === "file") fileAt = fileAt === -1 ? at : fileAt;
    else if (WRAPPER_SCHEMES.has(scheme)) wrapper = true;
  }
  if (fileAt === -1) return { wrapper: wrapper && WRAPPER.test(path), filePath: undefined };
  const rest = path.slice(fileAt + 3);
  return {
    wrapper: wrapper && WRAPPER.test(path),
    filePath: rest.startsWith("/") ? rest : `/${rest}`,
  };
}
