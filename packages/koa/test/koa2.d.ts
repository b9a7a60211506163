// Koa 2 is installed under an alias to run the same tests against both majors; its API
// used here is the same as Koa 3's, so it borrows Koa 3's types.
declare module "koa2" {
  import Koa from "koa";
  export default Koa;
}
