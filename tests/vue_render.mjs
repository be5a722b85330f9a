// Compile HTML as VitePress hands a page to Vue (a template), and render it on the server.
// Run by tests/test_vue_render.py with NODE_PATH pointing at node_modules holding vue 3.
import { createRequire } from "node:module";
const require = createRequire(process.env.NODE_PATH.split(":")[0] + "/");
const { createSSRApp } = require("vue/dist/vue.cjs.js");
const { renderToString } = require("@vue/server-renderer");
import { readFileSync } from "node:fs";
const html = readFileSync(0, "utf8");
const app = createSSRApp({ template: `<div>${html}</div>`, data: () => ({ x: "INTERPOLATED" }) });
app.config.warnHandler = () => {};
console.log(await renderToString(app));
