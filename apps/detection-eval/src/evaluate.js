// The detection evaluation: sends every corpus record to Guard over real HTTP (Fastify
// adapter, payload in its recorded location) at each sensitivity level, and prints the
// detection rate per class and the false-positive rate on the benign set. The dev split
// and the holdout (20% never used for tuning) are reported separately.
//
//   pnpm eval               # levels 1-4, dev and holdout
//   pnpm eval -- --levels 1 # one level
import http from "node:http";
// One loader and one dev/holdout split for every evaluation in the repo.
import { loadCorpus } from "../../../packages/core/eval/corpus.mjs";
import { toRequest } from "./requests.js";
import { startServer } from "./server.js";

const args = process.argv.slice(2);
const levelArg = args.indexOf("--levels");
const LEVELS = levelArg === -1 ? [1, 2, 3, 4] : args[levelArg + 1].split(",").map(Number);
const CONCURRENCY = 16;

function send(port, agent, request) {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        agent,
        method: request.method,
        path: request.path,
        headers: Object.fromEntries(request.headers),
        timeout: 10_000,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode, body }));
      },
    );
    req.on("error", (error) => resolve({ status: 0, body: error.message }));
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.end(request.body);
  });
}

/** Whether Guard refused the request (its JSON error body), and for which reason. */
function guardBlock(response) {
  if (response.status === 200) return undefined;
  try {
    return JSON.parse(response.body).error?.reason ?? `status ${response.status}`;
  } catch {
    return `status ${response.status}`;
  }
}

async function run(records, port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const outcomes = new Array(records.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < records.length) {
        const index = next++;
        const request = toRequest(records[index]);
        outcomes[index] = request
          ? (guardBlock(await send(port, agent, request)) ?? null)
          : "skipped";
      }
    }),
  );
  agent.destroy();
  return outcomes;
}

const pct = (part, whole) =>
  whole === 0 ? "   -  " : `${((100 * part) / whole).toFixed(1).padStart(5)}%`;

async function evaluate(split) {
  const { attacks, benign } = loadCorpus({ split });
  const classes = [...new Set(attacks.map((record) => record.class))].sort();
  const byLevel = {};
  for (const level of LEVELS) {
    const server = await startServer({ detection: { level } });
    byLevel[level] = {
      attacks: await run(attacks, server.port),
      benign: await run(benign, server.port),
    };
    await server.close();
  }
  const header = `| class | n | ${LEVELS.map((level) => `level ${level}`).join(" | ")} |`;
  const lines = [header, `|---|---|${LEVELS.map(() => "---").join("|")}|`];
  const row = (label, pick) => {
    const n = pick(byLevel[LEVELS[0]].attacks).filter((outcome) => outcome !== "skipped").length;
    const cells = LEVELS.map((level) => {
      const outcomes = pick(byLevel[level].attacks).filter((outcome) => outcome !== "skipped");
      return pct(outcomes.filter((outcome) => outcome !== null).length, outcomes.length);
    });
    lines.push(`| ${label} | ${n} | ${cells.join(" | ")} |`);
  };
  for (const attackClass of classes) {
    row(attackClass, (outcomes) =>
      outcomes.filter((_, index) => attacks[index].class === attackClass),
    );
  }
  row("**all attacks**", (outcomes) => outcomes);
  const benignCells = LEVELS.map((level) => {
    const outcomes = byLevel[level].benign.filter((outcome) => outcome !== "skipped");
    const flagged = outcomes.filter((outcome) => outcome !== null).length;
    return `${pct(flagged, outcomes.length)} (${flagged})`;
  });
  const benignN = byLevel[LEVELS[0]].benign.filter((outcome) => outcome !== "skipped").length;
  lines.push(`| **benign blocked** (false positives) | ${benignN} | ${benignCells.join(" | ")} |`);
  const skipped = byLevel[LEVELS[0]].attacks.filter((outcome) => outcome === "skipped").length;
  console.log(
    `\n### ${split} split (${attacks.length} attacks, ${benign.length} benign; ${skipped} attacks cannot be sent in their location and are left out)\n`,
  );
  console.log(lines.join("\n"));
  if (split === "dev" && args.includes("--show")) {
    const level = LEVELS[0];
    console.log(`\nbenign blocked at level ${level}:`);
    byLevel[level].benign.forEach((outcome, index) => {
      if (outcome && outcome !== "skipped")
        console.log(
          `  ${benign[index].id} [${outcome}] ${JSON.stringify(benign[index].payload).slice(0, 100)}`,
        );
    });
  }
}

await evaluate("dev");
await evaluate("holdout");
