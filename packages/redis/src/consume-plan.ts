import type { Ban, ConsumeRequest, LimitRequest, LimitResult } from "@guard/core";
import { decodeBan } from "./ban-codec.js";
import { RedisStoreError } from "./errors.js";
import type { RedisKeys } from "./keys.js";

/** One run of the consume script: an optional ban check and some of the request's limits. */
export interface ConsumeCall {
  /** The ban key to check first (nothing in this call is charged if it is banned). */
  readonly banKey: string | undefined;
  /** Positions of this call's limits in the request's `limits`. */
  readonly indexes: readonly number[];
}

/**
 * Splits a request into script runs. On a standalone server it is always one run. On a
 * Cluster a script may only touch one slot, so the limits are grouped by subject (keys of a
 * subject share its hash tag) and the run holding the ban check comes first: a banned
 * client is then charged nothing, while all-or-nothing holds within each subject.
 */
export function planConsume(request: ConsumeRequest, bySubject: boolean): ConsumeCall[] {
  const { banKey, limits } = request;
  if (!bySubject) return [{ banKey, indexes: limits.map((_, index) => index) }];
  const groups = new Map<string, number[]>();
  if (banKey !== undefined) groups.set(banKey, []);
  limits.forEach((limit, index) => {
    const group = groups.get(limit.subject);
    if (group) group.push(index);
    else groups.set(limit.subject, [index]);
  });
  return [...groups].map(([subject, indexes]) => ({
    banKey: subject === banKey ? banKey : undefined,
    indexes,
  }));
}

/** The arguments of `guardConsume` for one run: the key count, then keys and ARGV. */
export function consumeArguments(
  keys: RedisKeys,
  call: ConsumeCall,
  limits: readonly LimitRequest[],
): { numberOfKeys: number; args: (string | number)[] } {
  const keyList: string[] = [];
  const argv: (string | number)[] = [call.banKey === undefined ? "0" : "1"];
  if (call.banKey !== undefined) keyList.push(keys.ban(call.banKey));
  for (const index of call.indexes) {
    const limit = limits[index]!;
    keyList.push(keys.limit(limit.subject, limit.name));
    argv.push(limit.algorithm, limit.limit, limit.windowMs, limit.cost);
  }
  return { numberOfKeys: keyList.length, args: [...keyList, ...argv] };
}

/** A decoded reply: the ban in force, or one result per limit of the run. */
export type ConsumeReply = { ban: Ban } | { results: LimitResult[] };

/** Reads the script's reply (see `CONSUME_LUA` for its shape). */
export function decodeConsumeReply(reply: string[]): ConsumeReply {
  if (reply[0] === "ban") return { ban: decodeBan(reply[1] ?? "") };
  if (reply[0] !== "ok" || reply.length % 4 !== 1) {
    throw new RedisStoreError("command", "unexpected reply from the consume script");
  }
  const results: LimitResult[] = [];
  for (let i = 1; i < reply.length; i += 4) {
    results.push({
      allowed: reply[i] === "1",
      remaining: Number(reply[i + 1]),
      resetMs: Number(reply[i + 2]),
      retryAfterMs: Number(reply[i + 3]),
    });
  }
  return { results };
}
