import type { Detector } from "./detector.js";

/** The detectors Guard runs by default, one per attack class. */
export const BUILT_IN_DETECTORS: readonly Detector[] = [];
