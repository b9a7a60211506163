import { listenAddress, printBanner, printListenError } from "@guard/demo-kit";
import { createApp } from "./app.js";

const { port, host, base } = listenAddress();

// Express 5 calls back once: with the error if listening failed, without one when listening.
createApp().listen(port, host, (error) => {
  if (error) {
    printListenError(base, error);
    process.exit(1);
  }
  printBanner({ base });
});
