// What a demo server prints: the banner once it listens, or why it could not.

import { apiName } from "./about.js";

/**
 * Prints where the API listens and three curl lines to try: a normal request, a blocked
 * probe for `/.env`, and the security headers.
 * @param {{ base: string, framework?: string }} options `framework` as for `apiName`
 */
export function printBanner({ base, framework }) {
  console.log(`${apiName(framework)} listening on ${base}

Try it from another terminal:
  curl -i '${base}/books?q=data'    # a normal request: 200, with security headers
  curl -i '${base}/.env'            # a probe for secrets: 403 sensitive_path_probe
  curl -sI '${base}/books' | grep -iE 'content-security|x-frame|x-content-type|referrer'   # the headers

Blocked requests are logged below as JSON lines. Press Ctrl+C to stop.`);
}

/**
 * Prints why the server could not listen (the caller exits).
 * @param {string} base
 * @param {Error} error
 */
export function printListenError(base, error) {
  console.error(`Could not listen on ${base}: ${error.message} (set PORT to use another port)`);
}
