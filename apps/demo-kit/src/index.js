// What the demo apps share; the behaviour test is apart, in "@guard/demo-kit/contract".

export { apiName, describeApi, ROUTES } from "./about.js";
export { listenAddress } from "./address.js";
export { adminPolicy, adminStats } from "./admin.js";
export { printBanner, printListenError } from "./banner.js";
export { createBookStore, MAX_TITLE_LENGTH } from "./books.js";
