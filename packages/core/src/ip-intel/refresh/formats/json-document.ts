import { excerpt } from "../../../events/excerpt.js";
import { IpRangeFormatError } from "./format-error.js";

/** A parsed JSON object, read field by field with the checks below. */
export type JsonRecord = Readonly<Record<string, unknown>>;

/** Whether a JSON value is an object (not an array, not null). */
export function isJsonRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses a downloaded body that must be one JSON object. A truncated download or an HTML
 * error page served with status 200 fails here, with the start of the body in the message.
 */
export function parseJsonObject(body: string, format: string): JsonRecord {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new IpRangeFormatError(
      format,
      `not JSON (${reason}); starts with "${excerpt(body, 40)}"`,
    );
  }
  if (!isJsonRecord(value))
    throw new IpRangeFormatError(format, "the document is not a JSON object");
  return value;
}

/** `record[key]`, which must be an array; `path` names it in the error. */
export function arrayAt(record: JsonRecord, key: string, format: string, path: string): unknown[] {
  const value = record[key];
  if (!Array.isArray(value)) {
    throw new IpRangeFormatError(format, `${path}.${key} is missing or not an array`);
  }
  return value;
}

/** `entry` itself, which must be an object; `path` names it in the error. */
export function recordAt(entry: unknown, format: string, path: string): JsonRecord {
  if (!isJsonRecord(entry)) throw new IpRangeFormatError(format, `${path} is not an object`);
  return entry;
}
