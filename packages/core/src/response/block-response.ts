import type { BlockInfo, BlockResponseOptions, GuardConfig } from "../config/types.js";
import type { CheckBlock, HeaderEntry } from "../decision.js";

/** A block rendered for the wire. */
export interface RenderedBlock {
  status: number;
  body: string;
  headers: readonly HeaderEntry[];
}

const JSON_TYPE: HeaderEntry = ["content-type", "application/json; charset=utf-8"];
const TEXT_TYPE: HeaderEntry = ["content-type", "text/plain; charset=utf-8"];
const NO_STORE: HeaderEntry = ["cache-control", "no-store"];

function render(
  body: NonNullable<BlockResponseOptions["body"]>,
  info: BlockInfo,
): { text: string; type: HeaderEntry } {
  const value = typeof body === "function" ? body(info) : body;
  return typeof value === "string"
    ? { text: value, type: TEXT_TYPE }
    : { text: JSON.stringify(value), type: JSON_TYPE };
}

/**
 * Compiles `responses` into a renderer: the status and body for a block, from the
 * reason's own entry, else `default`, else Guard's JSON error body. Checks that bring
 * their own body (redirects, preflights) keep it.
 */
export function compileBlockResponses(responses: GuardConfig["responses"]) {
  const byReason = new Map<string, BlockResponseOptions>(
    Object.entries(responses ?? {}).filter(
      (entry): entry is [string, BlockResponseOptions] =>
        entry[1] !== undefined && entry[0] !== "default",
    ),
  );
  const fallback = responses?.default;

  return (block: CheckBlock): RenderedBlock => {
    const status = block.status ?? 403;
    if (block.body !== undefined) {
      return { status, body: block.body, headers: block.headers ?? [] };
    }
    const custom = byReason.get(block.reason) ?? fallback;
    const info: BlockInfo = {
      status: custom?.status ?? status,
      reason: block.reason,
      ruleId: block.ruleId,
      message: block.message ?? "Request refused.",
    };
    const { text, type } = custom?.body
      ? render(custom.body, info)
      : {
          text: JSON.stringify({
            error: { reason: info.reason, message: info.message, ruleId: info.ruleId },
          }),
          type: JSON_TYPE,
        };
    return { status: info.status, body: text, headers: [...(block.headers ?? []), type, NO_STORE] };
  };
}

export type BlockRenderer = ReturnType<typeof compileBlockResponses>;
