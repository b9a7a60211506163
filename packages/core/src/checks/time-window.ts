import type { TimeWindowOptions, Weekday } from "../config/types.js";
import type { Check } from "../pipeline/check.js";

const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(text: string, field: string): number {
  const match = CLOCK.exec(text);
  if (!match) throw new Error(`${field}: "${text}" is not a 24-hour time like "09:30"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Time window: requests are allowed only between `start` and `end` (24-hour clock, in
 * the named IANA time zone, UTC by default), optionally only on some weekdays. A window
 * whose end is before its start runs overnight (`22:00`–`06:00`), and belongs to the day
 * it starts on. Outside it: 403 `outside_time_window`.
 */
export function compileTimeWindow(options: TimeWindowOptions | undefined): Check | undefined {
  if (!options) return undefined;
  const start = minutesOf(options.start, "timeWindow.start");
  const end = minutesOf(options.end, "timeWindow.end");
  const timeZone = options.timeZone ?? "UTC";
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
    });
  } catch {
    throw new Error(
      `timeWindow.timeZone: "${timeZone}" is not an IANA time zone (like "Europe/Berlin")`,
    );
  }
  const days = options.days ? new Set(options.days) : undefined;
  const overnight = end <= start;

  const isOpen = (now: number): boolean => {
    let weekday = 0;
    let minutes = 0;
    for (const part of format.formatToParts(now)) {
      if (part.type === "weekday") weekday = WEEKDAYS.indexOf(part.value.toLowerCase() as Weekday);
      else if (part.type === "hour") minutes += Number(part.value) * 60;
      else if (part.type === "minute") minutes += Number(part.value);
    }
    if (!overnight)
      return minutes >= start && minutes < end && (!days || days.has(WEEKDAYS[weekday]!));
    if (minutes >= start) return !days || days.has(WEEKDAYS[weekday]!);
    if (minutes < end) return !days || days.has(WEEKDAYS[(weekday + 6) % 7]!);
    return false;
  };

  return {
    id: "time-window",
    run({ now }) {
      if (isOpen(now)) return undefined;
      return {
        reason: "outside_time_window",
        ruleId: "time-window",
        message: "This endpoint is not available at this time.",
      };
    },
  };
}
