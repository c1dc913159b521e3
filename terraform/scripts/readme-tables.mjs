#!/usr/bin/env node
// Prints the "## Inputs" and "## Outputs" Markdown tables of one module or example directory, from its parsed
// variables and outputs: `node scripts/readme-tables.mjs modules/aws-lambda`. Paste them into its README.md;
// the offline test checks that the README lists every input and output.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { parse } = require("@cdktf/hcl2json");

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: node scripts/readme-tables.mjs <module-or-example-dir>\n");
  process.exit(2);
}

const unwrap = (s) => (typeof s === "string" && s.startsWith("${") && s.endsWith("}") ? s.slice(2, -1) : s);
const oneLine = (s) => String(s).replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")").trim();
const cell = (s) => oneLine(s).replace(/\$\$\{/g, "${").replace(/\|/g, "\\|");

const variables = [];
const outputs = [];
for (const f of (await readdir(dir)).filter((f) => f.endsWith(".tf")).sort()) {
  const json = await parse(f, await readFile(path.join(dir, f), "utf8"));
  for (const [name, [body]] of Object.entries(json.variable ?? {})) variables.push([name, body]);
  for (const [name, [body]] of Object.entries(json.output ?? {})) outputs.push([name, body]);
}

const lines = ["## Inputs", "", "| Name | Description | Type | Default | Required |", "|---|---|---|---|:---:|"];
for (const [name, v] of variables) {
  const required = !("default" in v);
  const def = required ? "n/a" : "`" + cell(JSON.stringify(v.default)) + "`";
  lines.push(`| \`${name}\` | ${cell(v.description ?? "")} | \`${cell(unwrap(v.type ?? "any"))}\` | ${def} | ${required ? "yes" : "no"} |`);
}
lines.push("", "## Outputs", "", "| Name | Description |", "|---|---|");
for (const [name, o] of outputs) lines.push(`| \`${name}\` | ${cell(o.description ?? "")} |`);
process.stdout.write(lines.join("\n") + "\n");
