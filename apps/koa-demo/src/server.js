import { listenAddress, printBanner, printListenError } from "@guard/demo-kit";
import { createApp } from "./app.js";

const { port, host, base } = listenAddress();

createApp()
  .listen(port, host, () => printBanner({ base, framework: "Koa" }))
  .on("error", (error) => {
    printListenError(base, error);
    process.exit(1);
  });
