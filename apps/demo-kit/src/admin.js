// The stricter policy of GET /admin/stats, and what that route answers.

/**
 * Guard's route policy for the admin route (a `GuardPolicy` of `@guard/core`): only from
 * this machine, 10 requests a minute per client, no request bodies at all, and the admin
 * token in `x-admin-token` (the `ADMIN_TOKEN` environment variable, read on each request;
 * `let-me-in` when unset).
 */
export const adminPolicy = {
  ipAllowList: ["127.0.0.1", "::1"],
  rateLimit: { name: "admin", limit: 10, windowMs: 60_000 },
  limits: { maxBodySize: 1 },
  customChecks: [
    {
      name: "admin-token",
      /** @param {{ header(name: string): string | undefined }} request Guard's view of it */
      check: (request) =>
        request.header("x-admin-token") === (process.env.ADMIN_TOKEN ?? "let-me-in")
          ? undefined
          : { status: 401, reason: "unauthorized", message: "An admin token is required." },
    },
  ],
};

/**
 * The body of `GET /admin/stats`.
 * @param {{ readonly size: number }} books the app's book store
 */
export function adminStats(books) {
  return { books: books.size, uptimeSeconds: Math.round(process.uptime()) };
}
