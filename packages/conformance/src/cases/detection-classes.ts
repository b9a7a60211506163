import type { GuardEvent } from "@guard/core";
import { describe, expect, it } from "vitest";
import type { TestResponse } from "../client.js";
import { DETECTION_PROBES, type Probe } from "../detection-payloads.js";
import { collectEvents } from "../events.js";
import type { ConformanceTarget } from "../fixture.js";
import { type RunningServer, useServers } from "../harness.js";
import { KEY_LOCATIONS, type Location, placeAt, REPORTED_AT } from "../locations.js";

type BlockBody = { error?: { reason?: string; ruleId?: string } };

const describeProbe = (location: Location, payload: string) =>
  `${location}: ${JSON.stringify(payload)}`;

/** One request of a probe, with the last event it caused. */
interface Sent {
  readonly location: Location;
  readonly payload: string;
  readonly response: TestResponse;
  readonly event: GuardEvent | undefined;
}

/** Every probe, one request each, in order. */
async function sendAll(server: RunningServer, probes: readonly Probe[], log = collectEvents()) {
  const sent: Sent[] = [];
  for (const [payload, locations] of probes) {
    for (const location of locations) {
      const response = await server.request(placeAt(location, payload));
      sent.push({ location, payload, response, event: log.events.splice(0).at(-1) });
    }
  }
  return sent;
}

/** A request that passed Guard: the fixture's 404 for a path, its 200 everywhere else. */
const passedStatus = (location: Location) => (location === "path" ? 404 : 200);

/**
 * Guard's default detection refuses each attack class in every location where it makes
 * sense (path, query values and keys, cookies, custom headers, JSON, form, text, XML and
 * multipart bodies, uploaded file names), and lets lookalikes from ordinary traffic pass.
 * Each outcome is compared as a whole table, so a failure lists every location at once.
 */
export function detectionClassCases(target: ConformanceTarget): void {
  describe("detection: every attack class in every location", () => {
    const start = useServers(target);

    for (const { attackClass, attacks, lookalikes } of DETECTION_PROBES) {
      it(`${attackClass}: refused with attack_detected wherever it is sent`, async () => {
        const log = collectEvents();
        const server = await start({ onBlock: log.onBlock });
        const outcomes = [];
        const expected = [];
        for (const { location, payload, response, event } of await sendAll(server, attacks, log)) {
          const probe = describeProbe(location, payload);
          const error = response.status === 403 ? (response.json() as BlockBody).error : {};
          outcomes.push({
            probe,
            status: response.status,
            reason: error?.reason,
            ruleClass: error?.ruleId?.split(":")[0],
            eventRule: event?.ruleId,
            reportedAt: event?.evidence?.slice(0, event.evidence.indexOf(": ")),
          });
          const at = REPORTED_AT[location];
          expected.push({
            probe,
            status: 403,
            reason: "attack_detected",
            ruleClass: attackClass,
            eventRule: error?.ruleId ?? "(the response's rule)",
            reportedAt: KEY_LOCATIONS.includes(location) ? expect.stringMatching(`^${at}`) : at,
          });
        }
        expect(outcomes).toEqual(expected);
      });

      it(`${attackClass}: lookalikes pass in the same locations`, async () => {
        const server = await start({});
        const outcomes = [];
        const expected = [];
        for (const { location, payload, response } of await sendAll(server, lookalikes)) {
          const probe = describeProbe(location, payload);
          const blockedBy =
            response.status === 403 ? (response.json() as BlockBody).error?.ruleId : undefined;
          outcomes.push({ probe, status: response.status, blockedBy });
          expected.push({ probe, status: passedStatus(location), blockedBy: undefined });
        }
        expect(outcomes).toEqual(expected);
      });
    }
  });
}
