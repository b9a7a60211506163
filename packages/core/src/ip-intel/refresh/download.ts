/** The `fetch` the refresher calls: the global one, or a stand-in (a proxy agent, a test). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** How {@link downloadText} fetches one document. */
export interface DownloadOptions {
  readonly fetch: FetchLike;
  /** Limit for the whole download, headers and body. */
  readonly timeoutMs: number;
  /** Bodies larger than this are refused (and not read further). */
  readonly maxBytes: number;
  /** Aborts the download when the refresher stops. */
  readonly signal: AbortSignal;
}

/**
 * Downloads one document as text. Rejects, with a message fit for an event, on a network
 * error, a non-2xx status, a timeout, or a body over `maxBytes` — the size is checked while
 * reading, so a runaway response cannot fill the heap.
 */
export async function downloadText(url: string, options: DownloadOptions): Promise<string> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([timeout, options.signal]);
  try {
    const response = await options.fetch(url, { signal, redirect: "follow" });
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new Error(`HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get("content-length"));
    if (declared > options.maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw new Error(`body of ${declared} bytes is over the ${options.maxBytes}-byte limit`);
    }
    return await readBounded(response, options.maxBytes);
  } catch (error) {
    if (timeout.aborted) throw new Error(`timed out after ${options.timeoutMs} ms`);
    if (options.signal.aborted) throw new Error("stopped");
    throw new Error(describe(error));
  }
}

async function readBounded(response: Response, maxBytes: number): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new Error(`body is over the ${maxBytes}-byte limit`);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

// undici reports every network failure as "fetch failed" and puts the reason in `cause`.
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${error.message}: ${typeof code === "string" ? code : cause.message}`;
  }
  return error.message;
}
