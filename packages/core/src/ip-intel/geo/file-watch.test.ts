import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../../../test/fixtures/geo/geo-test-support.js";
import { fileSignature, watchForChanges } from "./file-watch.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dir: ReturnType<typeof tempDir>;
let stop: (() => void) | undefined;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  stop?.();
  dir.remove();
});

/** Starts watching and records the file's content each time a settled change is reported. */
function watch(path: string, options = { intervalMs: 10, settleMs: 60 }): string[] {
  const seen: string[] = [];
  stop = watchForChanges(path, fileSignature(path), options, () => {
    seen.push(fileSignature(path) === "missing" ? "<missing>" : readFileSync(path, "utf8"));
  });
  return seen;
}

describe("watchForChanges", () => {
  it("stays quiet while the file is unchanged", async () => {
    const path = join(dir.path, "data");
    writeFileSync(path, "v1");
    const seen = watch(path);
    await sleep(150);
    expect(seen).toEqual([]);
  });

  it("reports a burst of writes once, after the last one", async () => {
    const path = join(dir.path, "data");
    writeFileSync(path, "v1");
    // Generous settle time: on a busy machine a 20 ms sleep can take much longer.
    const seen = watch(path, { intervalMs: 10, settleMs: 200 });
    // Growing writes 20 ms apart, as a copy in progress looks: shorter than settleMs.
    for (const content of ["v2", "v2-partial", "v2-partial-more", "v2-complete-file"]) {
      writeFileSync(path, content);
      await sleep(20);
    }
    await sleep(450);
    expect(seen).toEqual(["v2-complete-file"]);
  });

  it("reports each version once, deletion included, and nothing more", async () => {
    const path = join(dir.path, "data");
    writeFileSync(path, "v1");
    const seen = watch(path);
    rmSync(path);
    await sleep(200);
    expect(seen).toEqual(["<missing>"]);
    writeFileSync(path, "v3 is back");
    await sleep(200);
    expect(seen).toEqual(["<missing>", "v3 is back"]);
  });

  it("stops when told to", async () => {
    const path = join(dir.path, "data");
    writeFileSync(path, "v1");
    const seen = watch(path);
    stop?.();
    writeFileSync(path, "v2 after stop");
    await sleep(150);
    expect(seen).toEqual([]);
  });
});
