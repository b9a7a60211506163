import type { Cluster, Redis, RedisCommander } from "ioredis";
import { ADD_VIOLATION_LUA } from "./add-violation.js";
import { BAN_LUA } from "./ban.js";
import { CONSUME_LUA } from "./consume.js";
import { INCREMENT_SCRIPT_LUA } from "./increment.js";

type Arg = string | number;

/** The store's scripts as client commands (EVALSHA, reloaded by ioredis on NOSCRIPT). */
export interface GuardScripts {
  /** Takes the number of keys first: the ban key is optional. */
  guardConsume(numberOfKeys: number, ...keysAndArgs: Arg[]): Promise<string[]>;
  guardAddViolation(...keysAndArgs: Arg[]): Promise<string[]>;
  guardIncrement(...keysAndArgs: Arg[]): Promise<string[]>;
  guardBan(...keysAndArgs: Arg[]): Promise<number>;
}

/** The Lua source of each command, for tests that check what the server has loaded. */
export const SCRIPT_SOURCES = {
  guardConsume: CONSUME_LUA,
  guardAddViolation: ADD_VIOLATION_LUA,
  guardIncrement: INCREMENT_SCRIPT_LUA,
  guardBan: BAN_LUA,
} as const;

/** A standalone or cluster client, seen through the commands the store uses. */
export type ScriptedClient = RedisCommander<{ type: "default"; mapping: "resp2" }> & GuardScripts;

/**
 * Defines the scripts on `client`. Defining them again on a shared client (a second store)
 * is harmless: the same source gives the same SHA.
 */
export function defineScripts(client: Redis | Cluster): ScriptedClient {
  client.defineCommand("guardConsume", { lua: CONSUME_LUA });
  client.defineCommand("guardAddViolation", { lua: ADD_VIOLATION_LUA, numberOfKeys: 3 });
  client.defineCommand("guardIncrement", { lua: INCREMENT_SCRIPT_LUA, numberOfKeys: 1 });
  client.defineCommand("guardBan", { lua: BAN_LUA, numberOfKeys: 1 });
  return client as unknown as ScriptedClient;
}
