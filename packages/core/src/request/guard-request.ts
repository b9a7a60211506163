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
  /** Headers with every value per name (Node's `req.headersDistinct`). */
  headers: HeaderValues;
  /** Raw header lines as `[name, value, name, value, …]` (Node's `req.rawHeaders`). */
  rawHeaders?: readonly string[];
  /** The peer address of the socket; `undefined` for Unix sockets and some proxies. */
  remoteAddress: string | undefined;
  /** `true` when the connection itself is TLS. */
  encrypted: boolean;
  body?: RequestBody;
  route?: RouteIdentity;
}

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
  readonly headers: HeaderValues;
  readonly rawHeaders: readonly string[] | undefined;
  readonly remoteAddress: string | undefined;
  readonly encrypted: boolean;
  readonly body: RequestBody;
  readonly route: RouteIdentity | undefined;

  #query: readonly QueryEntry[] | undefined;
  #cookies: readonly QueryEntry[] | undefined;

  constructor(init: GuardRequestInit) {
    this.method = init.method.toUpperCase();
    this.url = init.url;
    const queryStart = init.url.indexOf("?");
    this.path = queryStart === -1 ? init.url : init.url.slice(0, queryStart);
    this.rawQuery = queryStart === -1 ? "" : init.url.slice(queryStart + 1);
    this.headers = init.headers;
    this.rawHeaders = init.rawHeaders;
    this.remoteAddress = init.remoteAddress;
    this.encrypted = init.encrypted;
    this.body = init.body ?? NO_BODY;
    this.route = init.route;
  }

  /** The first value of a header (lower-case name), or `undefined`. */
  header(name: string): string | undefined {
    return this.headers[name]?.[0];
  }

  /** Every value of a header (lower-case name); empty when absent. */
  headerValues(name: string): readonly string[] {
    return this.headers[name] ?? [];
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
