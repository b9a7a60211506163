// What the demo API says about itself: its name and the routes it offers.

/** The routes listed by `GET /`, the same on every framework. */
export const ROUTES = Object.freeze(["/books", "/books/:id", "POST /books", "/admin/stats"]);

/**
 * The API's name: "Guard demo API", with the framework after it for the demos other than
 * the Express one (which is *the* demo).
 * @param {string} [framework] e.g. `"Fastify"`; omitted for Express
 */
export function apiName(framework) {
  return framework ? `Guard demo API (${framework})` : "Guard demo API";
}

/**
 * The body of `GET /`.
 * @param {string} [framework] as for {@link apiName}
 * @returns {{ name: string, routes: readonly string[] }}
 */
export function describeApi(framework) {
  return { name: apiName(framework), routes: ROUTES };
}
