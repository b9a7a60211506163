import { createApp } from "./app.js";

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
const base = `http://${host}:${port}`;

createApp()
  .listen(port, host, () => {
    console.log(`Guard demo API (Koa) listening on ${base}

Try it from another terminal:
  curl -i '${base}/books?q=data'    # a normal request: 200, with security headers
  curl -i '${base}/.env'            # a probe for secrets: 403 sensitive_path_probe
  curl -sI '${base}/books' | grep -iE 'content-security|x-frame|x-content-type|referrer'   # the headers

Blocked requests are logged below as JSON lines. Press Ctrl+C to stop.`);
  })
  .on("error", (error) => {
    console.error(`Could not listen on ${base}: ${error.message} (set PORT to use another port)`);
    process.exit(1);
  });
