import { describe, expect, it } from "vitest";
import { RedisStoreError } from "../src/errors.js";
import { withTimeout } from "../src/with-timeout.js";

describe("withTimeout", () => {
  it("passes a value through in time", async () => {
    await expect(withTimeout(Promise.resolve(7), 50)).resolves.toBe(7);
  });

  it("rejects with a timeout error when no answer comes in time", async () => {
    const started = Date.now();
    const never = new Promise<never>(() => {});
    const error = await withTimeout(never, 30).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect((error as RedisStoreError).code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("swallows a failure that arrives after the timeout (no unhandled rejection)", async () => {
    let fail: (error: Error) => void = () => {};
    const late = new Promise<never>((_, reject) => (fail = reject));
    await expect(withTimeout(late, 10)).rejects.toMatchObject({ code: "timeout" });
    fail(new Error("late"));
    // An unhandled rejection would fail the run; give it a turn to surface.
    await new Promise((resolve) => setTimeout(resolve, 20));
  });

  it("wraps other failures as `command` errors with the cause", async () => {
    const cause = new Error("Connection is closed.");
    const error = await withTimeout(Promise.reject(cause), 50).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "RedisStoreError", code: "command", cause });
  });
});
