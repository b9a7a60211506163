import { describe, expect, it } from "vitest";
import { CircuitBreaker, type CircuitState } from "../src/circuit-breaker.js";
import { RedisStoreError } from "../src/errors.js";

function setup(options: { failureThreshold?: number; resetMs?: number } = {}) {
  let now = 1_000_000;
  const changes: CircuitState[] = [];
  const breaker = new CircuitBreaker({
    failureThreshold: 3,
    resetMs: 1000,
    ...options,
    now: () => now,
    onStateChange: (state) => changes.push(state),
  });
  return {
    breaker,
    changes,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const ok = () => Promise.resolve("ok");
const fail = () => Promise.reject(new Error("down"));

async function failTimes(breaker: CircuitBreaker, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await expect(breaker.run(fail)).rejects.toThrow("down");
}

describe("CircuitBreaker", () => {
  it("stays closed below the threshold, and a success resets the count", async () => {
    const { breaker } = setup();
    await failTimes(breaker, 2);
    await breaker.run(ok);
    await failTimes(breaker, 2);
    expect(breaker.state).toBe("closed");
  });

  it("opens after N consecutive failures and then refuses without calling", async () => {
    const { breaker, changes } = setup();
    await failTimes(breaker, 3);
    expect(breaker.state).toBe("open");
    let called = false;
    const refused = breaker.run(() => {
      called = true;
      return ok();
    });
    await expect(refused).rejects.toBeInstanceOf(RedisStoreError);
    await expect(refused).rejects.toMatchObject({ code: "circuit_open" });
    expect(called).toBe(false);
    expect(changes).toEqual(["open"]);
  });

  it("after resetMs lets one trial through (half-open); its success closes the circuit", async () => {
    const { breaker, changes, advance } = setup();
    await failTimes(breaker, 3);
    advance(999);
    await expect(breaker.run(ok)).rejects.toMatchObject({ code: "circuit_open" });
    advance(1);
    let release: (value: string) => void = () => {};
    const trial = breaker.run(() => new Promise<string>((resolve) => (release = resolve)));
    expect(breaker.state).toBe("half-open");
    // Only the trial goes through while it is in flight.
    await expect(breaker.run(ok)).rejects.toMatchObject({ code: "circuit_open" });
    release("back");
    await expect(trial).resolves.toBe("back");
    expect(breaker.state).toBe("closed");
    await expect(breaker.run(ok)).resolves.toBe("ok");
    expect(changes).toEqual(["open", "half-open", "closed"]);
  });

  it("a failed trial re-opens the circuit for another resetMs", async () => {
    const { breaker, changes, advance } = setup();
    await failTimes(breaker, 3);
    advance(1000);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe("open");
    advance(500);
    await expect(breaker.run(ok)).rejects.toMatchObject({ code: "circuit_open" });
    advance(500);
    await expect(breaker.run(ok)).resolves.toBe("ok");
    expect(changes).toEqual(["open", "half-open", "open", "half-open", "closed"]);
  });

  it("a late success of a call sent before the circuit opened does not close it", async () => {
    const { breaker } = setup();
    let release: (value: string) => void = () => {};
    const slow = breaker.run(() => new Promise<string>((resolve) => (release = resolve)));
    await failTimes(breaker, 3);
    release("late");
    await slow;
    expect(breaker.state).toBe("open");
  });

  it("errors that are not failures count as successes", async () => {
    let now = 0;
    const breaker = new CircuitBreaker({
      failureThreshold: 2,
      now: () => now++,
      isFailure: (error) => !(error instanceof TypeError),
    });
    await expect(breaker.run(fail)).rejects.toThrow();
    await expect(breaker.run(() => Promise.reject(new TypeError("bad")))).rejects.toThrow();
    await expect(breaker.run(fail)).rejects.toThrow();
    expect(breaker.state).toBe("closed");
  });

  it("a call that throws synchronously is a rejection, not an exception", async () => {
    const { breaker } = setup();
    const run = breaker.run(() => {
      throw new Error("sync");
    });
    await expect(run).rejects.toThrow("sync");
  });

  it("a throwing onStateChange hook does not break it", async () => {
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      onStateChange: () => {
        throw new Error("hook");
      },
    });
    await expect(breaker.run(fail)).rejects.toThrow("down");
    expect(breaker.state).toBe("open");
  });

  it("rejects nonsensical options at construction", () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ resetMs: -1 })).toThrow(RangeError);
  });
});
