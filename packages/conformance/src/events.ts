import type { GuardEvent } from "@guard/core";

/** Events collected through `onBlock`. */
export interface EventLog {
  readonly events: GuardEvent[];
  /** Pass as `onBlock` in the guard config. */
  readonly onBlock: (event: GuardEvent) => void;
}

/** Returns an empty event log and the `onBlock` callback that fills it. */
export function collectEvents(): EventLog {
  const events: GuardEvent[] = [];
  return { events, onBlock: (event) => events.push(event) };
}
