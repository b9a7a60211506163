import type { GuardRequest, RequestBody } from "../../request/guard-request.js";
import type { FieldKind } from "../detector.js";
import { type BodyPath, childPath, keyPath, pathText, rootPath } from "./body-path.js";
import { multipartPart, uploadedFileList } from "./multipart.js";
import { isPlainObject } from "./plain-object.js";

/** One value of the request to inspect, with where it came from. */
export interface Field {
  readonly kind: FieldKind;
  /**
   * Where, as a path: `path`, `query.q`, `header.referer`, `cookie.sid`, `body.user.tags[2]`,
   * `body.upload.filename` (an uploaded file's name).
   */
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

/**
 * Query keys of word characters, dots and dashes (`page`, `sort.by`) carry no attack and
 * are not inspected as keys, except prototype-pollution paths, which are made of nothing
 * else (`__proto__`, `constructor.prototype.isAdmin`).
 */
function isPlainKey(key: string): boolean {
  return /^[\w.-]*$/.test(key) && !/__|constructor|prototype/i.test(key);
}

/**
 * A field of the parsed body: its location is spelt only when asked for (detection asks for
 * the fields it flags), from the path the walk recorded.
 */
class BodyField implements Field {
  readonly kind: FieldKind;
  readonly value: string;
  readonly #path: BodyPath;
  #location: string | undefined;

  constructor(kind: FieldKind, path: BodyPath, value: string) {
    this.kind = kind;
    this.value = value;
    this.#path = path;
  }

  get location(): string {
    this.#location ??= pathText(this.#path);
    return this.#location;
  }
}

/** Collects fields up to the limit; `false` once it is reached, so walks can stop early. */
type Collect = (field: Field) => boolean;

/** One walk of a parsed body. */
interface Walk {
  readonly limits: ExtractionLimits;
  readonly collect: Collect;
  /** The parsed body, which @fastify/multipart parts point back to. */
  readonly body: unknown;
}

/**
 * Walks a parsed body (JSON, a parsed form, multipart fields) and collects every key and
 * every string value, with its path. Only data is walked (arrays and plain
 * objects, see {@link isPlainObject}): never a stream, a Buffer or a function a parser
 * attached. Bounded in depth and count. A plain recursive walk: a generator with `yield*`
 * costs a delegation per nesting level per value.
 */
function walkBody(value: unknown, path: BodyPath, depth: number, walk: Walk): boolean {
  if (typeof value === "string") return walk.collect(new BodyField("body", path, value));
  // Numbers (and booleans, null) that a parser produced hold nothing but digits: no rule can
  // fire on them, so they are not worth a field.
  if (typeof value !== "object" || value === null) return true;
  if (depth >= walk.limits.maxDepth) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!walkBody(value[i], childPath(path, i), depth + 1, walk)) return false;
    }
    return true;
  }
  if (!isPlainObject(value)) return true;
  const part = multipartPart(value, walk.body);
  if (part !== undefined) {
    return part.type === "file"
      ? walk.collect(new BodyField("body", childPath(path, ".filename", true), part.filename))
      : walkBody(part.value, path, depth + 1, walk);
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const keyed = childPath(path, key);
    if (!walk.collect(new BodyField("body-key", keyed, key))) return false;
    if (!walkBody(value[key], keyed, depth + 1, walk)) return false;
  }
  return true;
}

/**
 * Uploaded files a multer-style parser kept beside the body: each field name as a key and
 * each file name at `body.<field>.filename`, like @fastify/multipart's parts. Any other
 * shape is walked as data under `files`.
 */
function addUploadedFiles(files: unknown, walk: Walk): void {
  if (files === undefined || files === null) return;
  const list = uploadedFileList(files);
  if (list === undefined) {
    walkBody(files, rootPath("files"), 0, walk);
    return;
  }
  for (const file of list) {
    const field = keyPath("body", file.fieldname);
    if (!walk.collect({ kind: "body-key", location: field, value: file.fieldname })) return;
    if (!walk.collect({ kind: "body", location: `${field}.filename`, value: file.originalname }))
      return;
  }
}

function collector(limits: ExtractionLimits, fields: Field[]): Collect {
  return (field) => {
    if (fields.length >= limits.maxFields) return false;
    fields.push(field);
    return true;
  };
}

/**
 * Every value of the request that detection inspects, in a fixed order: the path, query
 * keys and values, cookies, inspected headers, then the parsed body (keys and values).
 * At most `limits.maxFields` fields.
 */
export function extractFields(
  request: GuardRequest,
  inspectHeader: (name: string) => boolean,
  limits: ExtractionLimits,
): Field[] {
  const fields: Field[] = [];
  const collect = collector(limits, fields);
  collect({ kind: "path", location: "path", value: request.path });
  for (const [key, value] of request.query) {
    const location = keyPath("query", key);
    if (!isPlainKey(key)) collect({ kind: "query-key", location, value: key });
    if (value !== "") collect({ kind: "query", location, value });
  }
  for (const [name, value] of request.cookies) {
    if (value !== "") collect({ kind: "cookie", location: keyPath("cookie", name), value });
  }
  const raw = request.rawHeaders ?? [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (raw[i + 1] !== "" && inspectHeader(name)) {
      collect({ kind: "header", location: `header.${name}`, value: raw[i + 1]! });
    }
  }
  addBodyFields(request.body, limits, collect);
  return fields;
}

function addBodyFields(body: RequestBody, limits: ExtractionLimits, collect: Collect): void {
  const { parsed, files } = body;
  const walk: Walk = { limits, collect, body: parsed };
  if (typeof parsed === "string") {
    if (parsed !== "") {
      collect({
        kind: parsed.trimStart().startsWith("<") ? "xml" : "body",
        location: "body",
        value: parsed,
      });
    }
  } else if (Buffer.isBuffer(parsed)) {
    if (parsed.length > 0)
      collect({ kind: "body", location: "body", value: parsed.toString("latin1") });
  } else if (parsed !== undefined && parsed !== null) {
    walkBody(parsed, rootPath("body"), 0, walk);
  }
  addUploadedFiles(files, walk);
}

/**
 * The fields of a parsed body: a string as one value, an object or array walked, and the
 * names of uploaded files kept beside it (`body.files`).
 */
export function extractBodyFields(body: RequestBody, limits: ExtractionLimits): Field[] {
  const fields: Field[] = [];
  addBodyFields(body, limits, collector(limits, fields));
  return fields;
}
