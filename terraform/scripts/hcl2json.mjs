#!/usr/bin/env node
// Parses every .tf file below the given directories (default: the terraform/ directory that holds this
// script) with @cdktf/hcl2json, offline, and prints one JSON document: { "<relative path>": <parsed HCL> }.
// Paths are relative to the first directory given, with forward slashes. Exits 1 naming the file on the
// first parse error, 2 on bad usage. node_modules, target, .terraform and src/test/fixtures are skipped
// when walking the default tree, so the deliberately broken test fixtures never reach the real check.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let parse;
try {
  ({ parse } = require("@cdktf/hcl2json"));
} catch (e) {
  process.stderr.write("@cdktf/hcl2json is not installed: run `npm ci --prefix terraform` from the repository root\n");
  process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultRoot = path.resolve(here, "..");
const SKIP_DIRS = new Set(["node_modules", "target", ".terraform", ".git"]);

async function walk(dir, root, out) {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name)) continue;
      if (root === defaultRoot && path.relative(root, full).split(path.sep).join("/") === "src/test/fixtures") continue;
      await walk(full, root, out);
    } else if (e.isFile() && e.name.endsWith(".tf")) {
      out.push(full);
    }
  }
}

async function main() {
  const args = process.argv.slice(2);
  const roots = (args.length ? args : [defaultRoot]).map((a) => path.resolve(a));
  const base = roots[0];
  const files = [];
  for (const r of roots) {
    const s = await stat(r).catch(() => null);
    if (!s || !s.isDirectory()) {
      process.stderr.write(`not a directory: ${r}\n`);
      process.exit(2);
    }
    await walk(r, r, files);
  }
  const result = {};
  for (const f of files) {
    const rel = path.relative(base, f).split(path.sep).join("/");
    const text = await readFile(f, "utf8");
    try {
      result[rel] = await parse(rel, text);
    } catch (e) {
      const msg = String(e && e.message ? e.message : e).trim();
      process.stderr.write(`HCL parse error in ${rel}: ${msg}\n`);
      process.exit(1);
    }
  }
  process.stdout.write(JSON.stringify(result, null, 1) + "\n");
}

main().catch((e) => {
  process.stderr.write(`hcl2json failed: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
