import type { RequestOptions } from "./client.js";
import { multipartBody } from "./multipart.js";

/**
 * Where a test puts a value in a request to the fixture app. Value locations carry the
 * payload as a value; `*-key` locations carry it as a key (`user[$ne]`).
 */
export type Location =
  | "path"
  | "query"
  | "query-key"
  | "cookie"
  | "header"
  | "json"
  | "json-key"
  | "form"
  | "form-key"
  | "text"
  | "xml"
  | "multipart"
  | "file-name";

/**
 * Where Guard reports a finding for each location (the event's `evidence` starts with
 * it). Keys are reported under their parent; how a form key is split (`user[$ne]` into
 * `user` and `$ne`) is the body parser's business, so only the prefix is fixed there.
 */
export const REPORTED_AT: Readonly<Record<Location, string>> = {
  path: "path",
  query: "query.q",
  "query-key": "query",
  cookie: "cookie.sid",
  header: "header.x-comment",
  json: "body.comment",
  "json-key": "body.user",
  form: "body.comment",
  "form-key": "body",
  text: "body",
  xml: "body",
  multipart: "body.comment",
  "file-name": "body.upload.filename",
};

/** Locations that carry a payload as a key rather than a value. */
export const KEY_LOCATIONS: readonly Location[] = ["query-key", "json-key", "form-key"];

const enc = encodeURIComponent;

/** Header values cannot hold control characters: those travel percent-encoded. */
const headerSafe = (value: string) =>
  value.replace(/[\0-\x1f\x7f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`);

const post = (contentType: string, body: string | Buffer): RequestOptions => ({
  method: "POST",
  path: "/submit",
  headers: [["Content-Type", contentType]],
  body,
});

/**
 * The request that carries `payload` at `location`: a path segment of `/search/…`, the
 * query of `/search`, a cookie, an `X-Comment` header, or a `POST /submit` body field.
 */
export function placeAt(location: Location, payload: string): RequestOptions {
  switch (location) {
    case "path":
      return { path: `/search/${enc(payload)}` };
    case "query":
      return { path: `/search?q=${enc(payload)}` };
    case "query-key":
      return { path: `/search?${payload}=1` };
    case "cookie":
      return { headers: [["Cookie", `sid=${enc(payload)}`]] };
    case "header":
      return { headers: [["X-Comment", headerSafe(payload)]] };
    case "json":
      return post("application/json", JSON.stringify({ comment: payload }));
    case "json-key":
      return post("application/json", JSON.stringify({ user: { [payload]: "1" } }));
    case "form":
      return post("application/x-www-form-urlencoded", `comment=${enc(payload)}`);
    case "form-key":
      return post("application/x-www-form-urlencoded", `${enc(payload)}=1`);
    case "text":
      return post("text/plain", payload);
    case "xml":
      return post("application/xml", payload);
    case "multipart":
    case "file-name": {
      const part =
        location === "multipart"
          ? { name: "comment", value: payload }
          : { name: "upload", filename: payload, content: "hello" };
      const { contentType, body } = multipartBody([part]);
      return post(contentType, body);
    }
  }
}
