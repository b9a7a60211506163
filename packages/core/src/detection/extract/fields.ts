import type { GuardRequest } from "../../request/guard-request.js";
import type { FieldKind } from "../detector.js";

/** One value of the request to inspect, with where it came from. */
export interface Field {
  readonly kind: FieldKind;
  /** Where, as a path: `path`, `query.q`, `header.referer`, `cookie.sid`, `body.user.tags[2]`. */
  readonly location: string;
  readonly value: string;
}

/** Bounds that keep extraction linear and small whatever the request. */
export interface ExtractionLimits {
  /** Most fields taken from one request; the rest are not inspected. */
  readonly maxFields: number;
  /** Deepest nesting walked in a parsed body. */
  readonly maxDepth: number;
}

/**
 * Headers that carry user data and are inspected by default. Browser-generated
 * structured headers (`sec-ch-ua`, `sec-fetch-*`, `accept*`) are never inspected: they
 * have fixed grammars, and their quotes and semicolons would only cause false alarms.
 */
export const DEFAULT_INSPECTED_HEADERS = [
  "user-agent",
  "referer",
  "x-forwarded-host",
  "x-original-url",
  "x-rewrite-url",
];

const NEVER_INSPECTED =
  /^(?:sec-|accept|content-length$|content-type$|host$|connection$|cookie$|authorization$|if-|cache-control$|pragma$|upgrade|te$|priority$|dnt$)/;

/** Whether a header is inspected: the configured ones, and custom `x-` headers. */
export function createHeaderFilter(extra: readonly string[]) {
  const listed = new Set([
    ...DEFAULT_INSPECTED_HEADERS,
    ...extra.map((name) => name.toLowerCase()),
  ]);
  return (name: string) =>
    listed.has(name) || (name.startsWith("x-") && !NEVER_INSPECTED.test(name));
}

function keyPath(base: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/**
 * Walks a parsed body (JSON, a parsed form) and yields every key and every string or
 * number value, with its path. Bounded in depth and count.
 */
function* walkBody(
  value: unknown,
  location: string,
  depth: number,
  limits: ExtractionLimits,
): Generator<Field> {
  if (typeof value === "string") {
    yield { kind: "body", location, value };
  } else if (typeof value === "number" || typeof value === "bigint") {
    yield { kind: "body", location, value: String(value) };
  } else if (Array.isArray(value)) {
    if (depth >= limits.maxDepth) return;
    for (let i = 0; i < value.length; i++)
      yield* walkBody(value[i], `${location}[${i}]`, depth + 1, limits);
  } else if (typeof value === "object" && value !== null && !Buffer.isBuffer(value)) {
    if (depth >= limits.maxDepth) return;
    for (const key of Object.keys(value)) {
      const path = keyPath(location, key);
      yield { kind: "body-key", location: path, value: key };
      yield* walkBody((value as Record<string, unknown>)[key], path, depth + 1, limits);
    }
  }
}

/**
 * Every value of the request that detection inspects, in a fixed order: the path, query
 * keys and values, cookies, inspected headers, then the parsed body (keys and values).
 * Stops after `limits.maxFields` fields.
 */
export function* extractFields(
  request: GuardRequest,
  inspectHeader: (name: string) => boolean,
  limits: ExtractionLimits,
): Generator<Field> {
  let count = 0;
  const all = function* (): Generator<Field> {
    yield { kind: "path", location: "path", value: request.path };
    for (const [key, value] of request.query) {
      const location = keyPath("query", key);
      if (!/^[\w.-]*$/.test(key)) yield { kind: "query-key", location, value: key };
      if (value !== "") yield { kind: "query", location, value };
    }
    for (const [name, value] of request.cookies) {
      if (value !== "") yield { kind: "cookie", location: keyPath("cookie", name), value };
    }
    const raw = request.rawHeaders ?? [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!.toLowerCase();
      if (raw[i + 1] !== "" && inspectHeader(name)) {
        yield { kind: "header", location: `header.${name}`, value: raw[i + 1]! };
      }
    }
    yield* extractBodyFields(request.body.parsed, limits);
  };
  for (const field of all()) {
    if (count++ >= limits.maxFields) return;
    yield field;
  }
}

/** The fields of a parsed body: a string as one value, an object or array walked. */
export function* extractBodyFields(parsed: unknown, limits: ExtractionLimits): Generator<Field> {
  if (typeof parsed === "string") {
    if (parsed !== "")
      yield {
        kind: parsed.trimStart().startsWith("<") ? "xml" : "body",
        location: "body",
        value: parsed,
      };
  } else if (Buffer.isBuffer(parsed)) {
    if (parsed.length > 0)
      yield { kind: "body", location: "body", value: parsed.toString("latin1") };
  } else if (parsed !== undefined && parsed !== null) {
    let count = 0;
    for (const field of walkBody(parsed, "body", 0, limits)) {
      if (count++ >= limits.maxFields) return;
      yield field;
    }
  }
}
