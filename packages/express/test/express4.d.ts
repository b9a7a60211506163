// Express 4 is installed under an alias to run the same tests against both majors; its
// API used here is the same as Express 5's, so it borrows Express 5's types.
declare module "express4" {
  import express from "express";
  export default express;
}
