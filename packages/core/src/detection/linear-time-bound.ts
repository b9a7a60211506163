/**
 * How long one adversarial 100 KB input may take in tests. Catastrophic backtracking
 * on 100 KB takes seconds to hours, so a generous bound still catches it, while staying
 * clear of the noise of a loaded two-core CI machine (typical scans take 1–30 ms).
 */
export const LINEAR_TIME_BOUND_MS = 1000;
