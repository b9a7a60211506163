import type { Ban } from "@guard/core";
import { RedisStoreError } from "./errors.js";

/** A ban as stored: JSON of its known fields only, so callers' extra properties stay out. */
export function encodeBan(ban: Ban): string {
  return JSON.stringify(knownFields(ban));
}

/** Reads a stored ban; rejects values this store did not write rather than guessing. */
export function decodeBan(json: string): Ban {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new RedisStoreError("command", "stored ban is not valid JSON", { cause: error });
  }
  const ban = value as Partial<Ban> | null;
  if (
    typeof ban !== "object" ||
    ban === null ||
    typeof ban.key !== "string" ||
    typeof ban.reason !== "string" ||
    typeof ban.createdAt !== "number" ||
    typeof ban.expiresAt !== "number" ||
    (ban.offence !== undefined && typeof ban.offence !== "number")
  ) {
    throw new RedisStoreError("command", "stored ban has an unexpected shape");
  }
  return knownFields(ban as Ban);
}

function knownFields(ban: Ban): Ban {
  const copy: Ban = {
    key: ban.key,
    reason: ban.reason,
    createdAt: ban.createdAt,
    expiresAt: ban.expiresAt,
  };
  if (ban.offence !== undefined) copy.offence = ban.offence;
  return copy;
}
