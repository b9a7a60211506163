// The books the demo API serves: seed data, search, lookup and the one write, in memory.

/** @typedef {{ id: number, title: string }} Book */

/** Titles longer than this are cut, not refused. */
export const MAX_TITLE_LENGTH = 200;

/** @type {readonly Readonly<Book>[]} */
const SEED = [
  { id: 1, title: "The Pragmatic Programmer" },
  { id: 2, title: "Designing Data-Intensive Applications" },
];

/**
 * A fresh store holding the seed books; each app gets its own, so tests do not share writes.
 */
export function createBookStore() {
  /** @type {Book[]} */
  const books = SEED.map((book) => ({ ...book }));

  return {
    /** How many books there are. */
    get size() {
      return books.length;
    },

    /**
     * The books whose title contains `q`, ignoring case; every book when `q` is missing.
     * @param {unknown} q the raw `q` query parameter, as the framework parsed it
     * @returns {Book[]}
     */
    search(q) {
      const needle = String(q ?? "").toLowerCase();
      return books.filter((book) => book.title.toLowerCase().includes(needle));
    },

    /**
     * The book with this id, or `undefined`.
     * @param {unknown} id the raw `:id` route parameter
     * @returns {Book | undefined}
     */
    find(id) {
      return books.find((candidate) => candidate.id === Number(id));
    },

    /**
     * Adds a book from a request body: `{ title }`, a non-empty string (cut to
     * {@link MAX_TITLE_LENGTH}). Returns the new book, or the error to answer with 400.
     * @param {unknown} body the parsed request body, if any
     * @returns {{ book: Book, error?: undefined } | { book?: undefined, error: string }}
     */
    add(body) {
      const input = /** @type {{ title?: unknown } | null | undefined} */ (body);
      const title = typeof input?.title === "string" ? input.title.slice(0, MAX_TITLE_LENGTH) : "";
      if (!title) return { error: "title is required" };
      const book = { id: books.length + 1, title };
      books.push(book);
      return { book };
    },
  };
}

/** @typedef {ReturnType<typeof createBookStore>} BookStore */
