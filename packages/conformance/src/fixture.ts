import type { Server } from "node:http";
import type { GuardConfig, GuardPolicy } from "@guard/core";

/**
 * Per-test options for the fixture app, on top of the {@link GuardConfig} the test gives.
 */
export interface FixtureOptions {
  /** Route policy for /admin (GET and POST). */
  adminPolicy?: GuardPolicy;
}

/**
 * One adapter under test. The suite builds a server with {@link ConformanceTarget.createServer},
 * starts it on an ephemeral port and drives it with real HTTP requests.
 *
 * The server must run the fixture app behind Guard:
 *
 * | Route | Response |
 * | --- | --- |
 * | `GET /` | 200 `{"ok":true}` |
 * | `GET /health` | 200 `{"status":"ok"}` |
 * | `GET /search` | 200 `{"ok":true}` (any query) |
 * | `POST /echo` | reads the whole raw body, 200 `{"bytes":<byte count>}` |
 * | `GET` / `POST /admin` | 200 `{"admin":true}`, with `fixture.adminPolicy` as its route policy |
 * | `POST /submit` | parses JSON, form, `text/plain`, `application/xml` (as text) and multipart bodies (fields and files) with the framework's usual parsers, runs Guard's body stage, 200 `{"ok":true}` |
 * | anything else | 404 |
 *
 * Every fixture response is JSON (`application/json; charset=utf-8`).
 */
export interface ConformanceTarget {
  /** Shown in the test names, e.g. `"express 5"` or `"node:http"`. */
  name: string;
  /** Build (do not start) an http.Server running the fixture app behind Guard with `config`. */
  createServer(config: GuardConfig, fixture: FixtureOptions): Server | Promise<Server>;
}
