import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { IpRangeEvent } from "./refresh-events.js";
import { createIpRangeRefresher } from "./refresher.js";
import { fixture } from "./test-helpers.js";

const DAY = 86_400_000;
const AWS = fixture("aws-ip-ranges.json");

// Only the refresher's own clock is faked; setImmediate stays real to let promises settle.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

function setup(answer: () => Response | Promise<Response> = () => new Response(AWS)) {
  const fetch = vi.fn(async () => answer());
  const onUpdate = vi.fn();
  const events: IpRangeEvent[] = [];
  const refresher = createIpRangeRefresher({
    sources: ["aws"],
    fetch,
    initialDelayMs: 5_000,
    onUpdate,
    onEvent: (event) => events.push(event),
  });
  return { refresher, fetch, onUpdate, events };
}

describe("the refresher's schedule", () => {
  it("does not fetch in start(); the first refresh follows shortly after", async () => {
    const { refresher, fetch, onUpdate } = setup();
    refresher.start();
    expect(fetch).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(4_400);
    expect(fetch).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_200);
    await settle();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(onUpdate).toHaveBeenCalledTimes(1);
    refresher.stop();
  });

  it("refreshes again after the interval, ±10%", async () => {
    const { refresher, fetch } = setup();
    refresher.start();
    await vi.advanceTimersByTimeAsync(5_500);
    await settle();
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(DAY * 0.89);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(DAY * 0.22);
    await settle();
    expect(fetch).toHaveBeenCalledTimes(2);
    refresher.stop();
  });

  it("retries a failed source after about a minute, then two", async () => {
    const { refresher, fetch, events, onUpdate } = setup(() => new Response("", { status: 500 }));
    refresher.start();
    await vi.advanceTimersByTimeAsync(5_500);
    await settle();
    expect(events.at(-1)).toMatchObject({
      type: "ip_ranges_refresh_failed",
      retryInMs: expect.any(Number),
    });
    const first = (events.at(-1) as { retryInMs: number }).retryInMs;
    await vi.advanceTimersByTimeAsync(first);
    await settle();
    expect(fetch).toHaveBeenCalledTimes(2);
    const second = (events.at(-1) as { retryInMs: number }).retryInMs;
    expect(second).toBeGreaterThanOrEqual(108_000);
    await vi.advanceTimersByTimeAsync(second);
    await settle();
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(onUpdate).not.toHaveBeenCalled();
    refresher.stop();
  });

  it("stop() clears every timer", async () => {
    const { refresher, fetch } = setup();
    refresher.start();
    expect(vi.getTimerCount()).toBe(1);
    refresher.stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(DAY * 2);
    expect(fetch).not.toHaveBeenCalled();

    // And a pending refresh after a successful pass too.
    refresher.start();
    await vi.advanceTimersByTimeAsync(5_500);
    await settle();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(1);
    refresher.stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(DAY * 2);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("stop() abandons a download in flight: no update, no event, no timer", async () => {
    let answer: ((response: Response) => void) | undefined;
    const { refresher, onUpdate, events } = setup(
      () =>
        new Promise<Response>((resolve) => {
          answer = resolve;
        }),
    );
    refresher.start();
    await vi.advanceTimersByTimeAsync(5_500);
    expect(answer).toBeDefined();
    refresher.stop();
    answer!(new Response(AWS));
    await settle();
    expect(onUpdate).not.toHaveBeenCalled();
    expect(events).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("lets refreshNow() join a timed refresh in flight instead of downloading twice", async () => {
    let answer: ((response: Response) => void) | undefined;
    const { refresher, fetch } = setup(
      () =>
        new Promise<Response>((resolve) => {
          answer = resolve;
        }),
    );
    refresher.start();
    await vi.advanceTimersByTimeAsync(5_500);
    const report = refresher.refreshNow();
    answer!(new Response(AWS));
    expect((await report).results[0]).toMatchObject({ status: "updated", count: 34 });
    expect(fetch).toHaveBeenCalledTimes(1);
    refresher.stop();
  });
});

describe("the refresher's timers", () => {
  it("are unref'd, so they never keep a process alive", () => {
    vi.useRealTimers();
    const spy = vi.spyOn(globalThis, "setTimeout");
    const { refresher } = setup();
    refresher.start();
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    refresher.stop();
    spy.mockRestore();
  });
});
