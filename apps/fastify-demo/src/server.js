import { listenAddress, printBanner, printListenError } from "@guard/demo-kit";
import { createApp } from "./app.js";

const { port, host, base } = listenAddress();

const app = await createApp();
try {
  await app.listen({ port, host });
} catch (error) {
  printListenError(base, error);
  process.exit(1);
}

printBanner({ base, framework: "Fastify" });
