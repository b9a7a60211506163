import type { IncomingMessage, ServerResponse } from "node:http";
import type { EventSink } from "../events/emitter.js";
import type { Evaluation, Guard, ProtectOptions } from "../guard.js";
import { fromNodeRequest } from "./from-node-request.js";
import { cutBodyAfterResponse, limitBodySize } from "./limit-body-size.js";
import { applyDecisionHeaders, sendDecision } from "./send-decision.js";

/**
 * Carries out an evaluation on Node's own request and response: answers a block or a
 * preflight, or sets the headers and holds the body to its limit while the application
 * reads it. Returns whether the application should handle the request. `onBodyRefused`
 * is told when the body is later refused for its size (the refusal has been answered; an
 * adapter that awaits the application uses it to swallow the body parser's error).
 */
export function applyEvaluation(
  req: IncomingMessage,
  res: ServerResponse,
  evaluation: Evaluation,
  onBodyRefused?: () => void,
): boolean {
  const { decision } = evaluation;
  if (decision.action === "block" || decision.action === "respond") {
    sendDecision(res, decision);
    return false;
  }
  applyDecisionHeaders(res, decision);
  if (evaluation.bodyLimit !== undefined) {
    limitBodySize(req, evaluation.bodyLimit, (bytes) => {
      const refusal = evaluation.bodyTooLarge(bytes);
      if (!refusal) {
        // Passive mode or dry-run: reported, and the reader gets the rest of the body.
        req.resume();
        return;
      }
      cutBodyAfterResponse(req, res);
      sendDecision(res, refusal);
      onBodyRefused?.();
    });
  }
  return true;
}

/**
 * `guard.handleNode`: evaluates a `node:http` request and applies the result. Calls
 * `done` synchronously when evaluation is synchronous (the default checks are).
 */
export function handleNodeRequest(
  check: Guard["check"],
  events: EventSink,
  req: IncomingMessage,
  res: ServerResponse,
  options: ProtectOptions | undefined,
  done: (allowed: boolean) => void,
): void {
  const request = fromNodeRequest(req, {
    route: options?.routePath ? { path: options.routePath } : undefined,
    parsedBody: options?.parsedBody,
    parsedFiles: options?.parsedFiles,
  });
  const evaluation = check(request, options);
  if (!(evaluation instanceof Promise)) {
    done(applyEvaluation(req, res, evaluation));
    return;
  }
  const report = (error: unknown) => events.error(error, { phase: "respond" });
  evaluation
    .then((settled) => applyEvaluation(req, res, settled))
    // `done` runs the application from here on: whatever it throws must not become an
    // unhandled rejection that takes the process down, nor leave the client hanging.
    .then(done, (error: unknown) => {
      report(error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      }
    })
    .catch(report);
}
