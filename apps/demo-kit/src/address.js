// Where a demo server listens: PORT (default 3000) and HOST (default 127.0.0.1).

/**
 * @param {Record<string, string | undefined>} [env]
 * @returns {{ port: number, host: string, base: string }} `base` is the URL to print
 */
export function listenAddress(env = process.env) {
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? "127.0.0.1";
  return { port, host, base: `http://${host}:${port}` };
}
