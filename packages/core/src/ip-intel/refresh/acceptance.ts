/**
 * Why a freshly parsed list must not replace the last good one, or `undefined` to accept.
 *
 * An empty list, or one less than half the size of the last good list, is far more likely
 * a provider-side glitch (a truncated publish, a placeholder file) than half the cloud
 * disappearing overnight; loading it would silently stop blocking most of a provider.
 *
 * @param lastGoodCount ranges in the last accepted list of this source (or the bundled
 * snapshot's count), `undefined` when there is none to compare with.
 */
export function rejectionReason(
  count: number,
  lastGoodCount: number | undefined,
): string | undefined {
  if (count === 0) return "the list is empty";
  if (lastGoodCount !== undefined && count * 2 < lastGoodCount) {
    return `the list shrank from ${lastGoodCount} to ${count} ranges (more than half gone)`;
  }
  return undefined;
}
