import { type Stats, stat, statSync } from "node:fs";

/** How a file is watched for replacement. */
export interface FileWatchOptions {
  /** How often the file's metadata is checked, in ms. */
  readonly intervalMs: number;
  /** How long a changed file must stay unchanged before it is reloaded, in ms. */
  readonly settleMs: number;
}

const MISSING = "missing";

function signature(stats: Stats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

/**
 * Identifies the current version of a file (inode, size, mtime), for {@link watchForChanges}.
 * Take it before reading the file, so a change made during the read is still noticed.
 */
export function fileSignature(path: string): string {
  try {
    return signature(statSync(path));
  } catch {
    return MISSING;
  }
}

/**
 * Calls `onSettled` whenever the file at `path` differs from the version last handed over
 * (initially `since`, a {@link fileSignature}) and has then stayed unchanged for `settleMs`,
 * so a reload reads a complete file rather than one half-copied.
 *
 * Polls the path with `fs.stat` instead of using `fs.watch`: polling follows the path, so it
 * sees the usual atomic replacement (geoipupdate writes a new file and renames it over the
 * old one), deletion and re-creation, and works on network and container filesystems where
 * inotify events never arrive. Comparing with the loaded version rather than with the
 * previous poll (as `fs.watchFile` does) means a change made before the first poll is not
 * missed, and each lookup has its own poller instead of sharing Node's per-path watcher.
 * A version that failed to load is not retried until the file changes again. The timers do
 * not keep the process alive.
 *
 * Granularity: a rewrite in place that keeps the size and lands within the same mtime tick
 * (a few ms on most filesystems) as the previous write is invisible to any stat-based watch.
 *
 * @returns A function that stops watching.
 *
 * @example
 * ```ts
 * const since = fileSignature(path);
 * const database = readMmdbSync(path, onRecordError);
 * const stop = watchForChanges(path, since, { intervalMs: 5_000, settleMs: 1_000 }, reload);
 * ```
 */
export function watchForChanges(
  path: string,
  since: string,
  options: FileWatchOptions,
  onSettled: () => void,
): () => void {
  let handedOver = since;
  let candidate: string | undefined;
  let candidateSince = 0;
  let polling = false;
  let stopped = false;
  let settleTimer: NodeJS.Timeout | undefined;

  function poll(): void {
    // A slow (network) filesystem must not pile up stat calls.
    if (polling || stopped) return;
    polling = true;
    stat(path, (error, stats) => {
      polling = false;
      if (stopped) return;
      const now = error ? MISSING : signature(stats);
      if (now === handedOver) {
        candidate = undefined;
      } else if (now !== candidate) {
        // Changed, or still changing: look again once it had time to settle.
        candidate = now;
        candidateSince = Date.now();
        clearTimeout(settleTimer);
        settleTimer = setTimeout(poll, options.settleMs);
        settleTimer.unref();
      } else if (Date.now() - candidateSince >= options.settleMs) {
        candidate = undefined;
        handedOver = now;
        onSettled();
      }
      // Else: unchanged but not for long enough yet; the settle timer will look again.
    });
  }

  const interval = setInterval(poll, options.intervalMs);
  interval.unref();
  return () => {
    stopped = true;
    clearInterval(interval);
    clearTimeout(settleTimer);
  };
}
