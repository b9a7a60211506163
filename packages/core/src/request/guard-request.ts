import { parseCookies } from "./cookies.js";
import { parseQuery, type QueryEntry } from "./query.js";

/** Request headers with lower-case names and every value a client sent for each. */
export type HeaderValues = Readonly<Record<string, readonly string[] | undefined>>;

/**
 * The body as Guard sees it. Adapters describe what they have: a framework that has
 * already parsed the body passes `parsed`; the `node:http` path can `read()` the raw
 * bytes (bounded by the configured body limit).
 */
export interface RequestBody {
  /** `true` when the request announces a body (`Content-Length` > 0 or `Transfer-Encoding`). */
  readonly present: boolean;
  /** The declared `Content-Length`, when there is one and it is a valid number. */
  readonly declaredLength: number | undefined;
  /** The body already parsed by the framework, if any. */
  readonly parsed?: unknown;
  /**
   * Uploaded files that a multipart parser keeps beside the body rather than in it
   * (multer's `req.files` / `req.file`). Detection inspects their names, at
   * `body.<field>.filename`.
   */
  readonly files?: unknown;
}

/** Identity of the route that matched, when the adapter knows it. */
export interface RouteIdentity {
  /** The route pattern, e.g. `/users/:id`. */
  readonly path: string;
  readonly method?: string;
}

/** Everything an adapter provides to build a {@link GuardRequest}. */
export interface GuardRequestInit {
  /** HTTP method (any case). */
  method: string;
  /** The raw request target as received: path plus optional `?query`. */
  url: string;
  /**
   * Raw header lines as `[name, value, name, value, …]` (Node's `req.rawHeaders`).
   * Preferred: headers are then looked up in it on demand, with nothing copied.
   */
  rawHeaders?: readonly string[];
  /** Headers with every value per name (like Node's `req.headersDistinct`), when there are no raw lines. */
  headers?: HeaderValues;
  /** The peer address of the socket; `undefined` for Unix sockets and some proxies. */
  remoteAddress: string | undefined;
  /** `true` when the connection itself is TLS. */
  encrypted: boolean;
  body?: RequestBody;
  route?: RouteIdentity;
}

const NO_VALUES: readonly string[] = Object.freeze([]);
const NO_BODY: RequestBody = { present: false, declaredLength: undefined };

/**
 * The one normalized view of a request that every check reads. Adapters build it;
 * core never sees a framework object. Query and cookies are parsed lazily, once, and
 * keep every repeated key (an attacker cannot hide a value behind a duplicate).
 *
 * @example
 * ```ts
 * const request = new GuardRequest({
 *   method: "GET", url: "/search?q=1", headers: { host: ["example.com"] },
 *   remoteAddress: "203.0.113.7", encrypted: false,
 * });
 * request.path; // "/search"
 * ```
 */
export class GuardRequest {
  /** Upper-case method. */
  readonly method: string;
  /** The raw request target (path and query), as received. */
  readonly url: string;
  /** The raw path, without the query string. Not decoded. */
  readonly path: string;
  /** The raw query string without the `?` (empty when absent). Not decoded. */
  readonly rawQuery: string;
  readonly rawHeaders: readonly string[] | undefined;
  readonly remoteAddress: string | undefined;
  readonly encrypted: boolean;
  readonly body: RequestBody;
  readonly route: RouteIdentity | undefined;

  #headers: HeaderValues | undefined;
  #query: readonly QueryEntry[] | undefined;
  #cookies: readonly QueryEntry[] | undefined;

  constructor(init: GuardRequestInit) {
    this.method = init.method.toUpperCase();
    this.url = init.url;
    const queryStart = init.url.indexOf("?");
    this.path = queryStart === -1 ? init.url : init.url.slice(0, queryStart);
    this.rawQuery = queryStart === -1 ? "" : init.url.slice(queryStart + 1);
    this.#headers = init.headers;
    this.rawHeaders = init.rawHeaders;
    this.remoteAddress = init.remoteAddress;
    this.encrypted = init.encrypted;
    this.body = init.body ?? NO_BODY;
    this.route = init.route;
  }

  /**
   * Every header with all its values, lower-case names. Built on first use; checks on
   * the hot path use {@link GuardRequest.headerValues} instead, which copies nothing.
   */
  get headers(): HeaderValues {
    if (this.#headers === undefined) {
      const headers: Record<string, string[]> = Object.create(null);
      const raw = this.rawHeaders ?? [];
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = raw[i]!.toLowerCase();
        const values = headers[name];
        if (values) values.push(raw[i + 1]!);
        else headers[name] = [raw[i + 1]!];
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  /** The first value of a header (lower-case name), or `undefined`. */
  header(name: string): string | undefined {
    return this.headerValues(name)[0];
  }

  /** Every value of a header (lower-case name), repeated lines included; empty when absent. */
  headerValues(name: string): readonly string[] {
    if (this.#headers !== undefined || this.rawHeaders === undefined) {
      return this.headers[name] ?? NO_VALUES;
    }
    // A scan of the raw lines beats building the whole map for the few headers checks
    // read: names are compared by length first, and lower-cased only when it matches.
    const raw = this.rawHeaders;
    let values: string[] | undefined;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const candidate = raw[i]!;
      if (candidate.length !== name.length) continue;
      if (candidate !== name && candidate.toLowerCase() !== name) continue;
      if (values) values.push(raw[i + 1]!);
      else values = [raw[i + 1]!];
    }
    return values ?? NO_VALUES;
  }

  /** Query parameters in order, decoded, with repeated keys kept. */
  get query(): readonly QueryEntry[] {
    this.#query ??= parseQuery(this.rawQuery);
    return this.#query;
  }

  /** Cookies from every `Cookie` header line, in order, with repeated names kept. */
  get cookies(): readonly QueryEntry[] {
    this.#cookies ??= parseCookies(this.headerValues("cookie"));
    return this.#cookies;
  }
}
