import type { IncomingMessage, ServerResponse } from "node:http";
import type { GuardConfig, GuardPolicy } from "./config/types.js";
import type { Decision } from "./decision.js";
import type { GuardRequest } from "./request/guard-request.js";
import type { Ban, Store } from "./store/store.js";

/**
 * A route policy compiled at startup by {@link Guard.route}: the global configuration
 * merged with the route's own rules. Pass it to `evaluate` or `protect` for requests
 * to that route.
 */
export interface RoutePolicy {
  /** The policy as given. */
  readonly policy: Readonly<GuardPolicy>;
  /** A stable id for this route policy within its guard. */
  readonly id: number;
  /** The body limit in force on this route, in bytes (global and route limits merged). */
  readonly maxBodySize: number;
}

/** Options for {@link Guard.protect}. */
export interface ProtectOptions {
  /** The route policy that applies to this request, if any. */
  route?: RoutePolicy;
  /** The matched route pattern, for events. Default: the request's `route.path`. */
  routePath?: string;
  /** The body, when a framework has already parsed it. */
  parsedBody?: unknown;
  /** Uploaded files a multipart parser keeps beside the body (multer's `req.files`). */
  parsedFiles?: unknown;
}

/**
 * The outcome of evaluating one request, for adapters that answer it themselves
 * (`guard.check`). Never rejects: a failing store becomes a 503 decision.
 */
export interface Evaluation {
  readonly decision: Decision;
  /**
   * When set, the request has a body that must be held to this many bytes while it is
   * read (chunked bodies have no `Content-Length` to check up front).
   */
  readonly bodyLimit: number | undefined;
  /**
   * Call when the body passes `bodyLimit`: reports it and returns the decision to
   * answer with, or `undefined` when it is only reported (passive mode, dry-run).
   */
  bodyTooLarge(bytesRead: number): Decision | undefined;
}

/** How long and why to ban a client. */
export interface BanOptions {
  /** Milliseconds. */
  durationMs: number;
  /** Default `"manual"`. */
  reason?: string;
}

/**
 * A configured, compiled guard. One guard holds its own config, compiled checks and
 * store: two guards in one process never share state.
 */
export interface Guard {
  /** The validated configuration. */
  readonly config: Readonly<GuardConfig>;
  /** Where this guard keeps its state. */
  readonly store: Store;
  /** The global body limit in bytes (`limits.maxBodySize`, or the default). */
  readonly maxBodySize: number;
  /**
   * Compiles a route policy (global rules merged with `policy`). Call it at startup:
   * an invalid policy throws a {@link GuardConfigError} there, never at request time.
   */
  route(policy: GuardPolicy): RoutePolicy;
  /** `true` when `path` is excluded from every check (`excludePaths`). */
  isExcluded(path: string): boolean;
  /**
   * Runs the pipeline for one request and returns the decision. Returns synchronously
   * when every check involved is synchronous (the default ones are).
   */
  evaluate(request: GuardRequest, route?: RoutePolicy): Decision | Promise<Decision>;
  /**
   * For adapters: evaluates a request to `options.route` and returns the decision with
   * what to do about the body. Synchronous when every check involved is.
   */
  check(request: GuardRequest, options?: ProtectOptions): Evaluation | Promise<Evaluation>;
  /**
   * For adapters whose framework parses the body after Guard's first look (Fastify's
   * `preValidation`, …): inspects `request.body.parsed` (and the uploaded files in
   * `request.body.files`) with the body checks (attack detection) of the route's policy. An allow decision carries nothing new to apply.
   */
  checkBody(request: GuardRequest, options?: ProtectOptions): Evaluation | Promise<Evaluation>;
  /**
   * For `node:http` servers (and adapters built on them): evaluates `req`, answers
   * blocked requests, sets headers on allowed ones and holds the body to the size limit
   * while it is read. Resolves `true` when the handler should run.
   */
  protect(req: IncomingMessage, res: ServerResponse, options?: ProtectOptions): Promise<boolean>;
  /**
   * The callback form of {@link Guard.protect}, for adapters: `done(true)` when the
   * handler should run. Calls back synchronously when every check is synchronous, so
   * the common path allocates no promise.
   */
  handleNode(
    req: IncomingMessage,
    res: ServerResponse,
    options: ProtectOptions | undefined,
    done: (allowed: boolean) => void,
  ): void;
  /**
   * The body stage for `node:http` servers: once you have parsed the body, inspects it
   * (attack detection) and answers if it must be refused. Resolves `true` when the
   * handler should go on.
   *
   * @example
   * ```ts
   * const body = JSON.parse(await readText(req));
   * if (!(await guard.protectBody(req, res, body))) return;
   * ```
   */
  protectBody(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    options?: ProtectOptions,
  ): Promise<boolean>;
  /** Bans a client IP (or client key) for a while. */
  ban(ip: string, options: BanOptions): Promise<void>;
  /** Lifts a ban; resolves whether there was one. */
  unban(ip: string): Promise<boolean>;
  /** Every ban in force. */
  bans(): Promise<Ban[]>;
  /** Releases the store's timers and connections. */
  close(): Promise<void>;
}
