// Figure 1, page weight: every file of dist/ that the first load fetches, raw, gzip -9 and
// brotli (quality 11), and the largest contributors to the wasm according to twiggy.

import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import { startStaticServer } from "../tests/e2e/harness.mjs";
import { figure, heading, indent, launchChromium, printFigure, settings } from "./support.mjs";

const TARGET_GZIP_BYTES = 150_000;
const TOP_CONTRIBUTORS = 15;

/** Loads the page once with an empty cache and returns the dist/ files it fetched. */
async function fetchedFiles(server) {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const urls = new Set();
    page.on("requestfinished", (request) => urls.add(request.url()));
    await page.goto(`${server.url}index.html`, { waitUntil: "networkidle" });
    await page.waitForSelector("h1", { timeout: 20_000 });
    await context.close();

    const files = [];
    for (const url of urls) {
      if (!url.startsWith(server.url)) {
        continue;
      }
      const relative = decodeURIComponent(new URL(url).pathname.slice(new URL(server.url).pathname.length)) || "index.html";
      files.push(relative);
    }
    return files.sort();
  } finally {
    await browser.close();
  }
}

function sizes(body) {
  return {
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }).length,
  };
}

const grouped = (n) => n.toLocaleString("en-US");

/** Runs twiggy top on the wasm with its name section kept; returns its table or why not. */
async function contributors() {
  if (!settings.namedWasm) {
    return { skipped: "ACR_HEALTH_NAMED_WASM is not set (cargo xtask bench sets it)" };
  }
  try {
    await stat(settings.twiggy);
  } catch {
    return { skipped: `${settings.twiggy} is missing (cargo xtask bench installs it)` };
  }
  const run = (args) => promisify(execFile)(settings.twiggy, args, { maxBuffer: 64 * 1024 * 1024 });
  const { stdout } = await run(["top", "-n", String(TOP_CONTRIBUTORS), settings.namedWasm]);
  const { stdout: json } = await run(["top", "-f", "json", settings.namedWasm]);
  return { table: stdout.replace(CRATE_HASH, ""), groups: groupItems(JSON.parse(json)) };
}

/** The disambiguator rustc puts after crate names in symbols, such as `serde_core[a18bc3bc2bbd8625]`. */
const CRATE_HASH = /\[[0-9a-f]{16}\]/g;

/**
 * Sorts the wasm's items into groups that show where the bytes go. Deserializers are grouped
 * by the deserializer they were compiled for, because each one is a full copy of the
 * `Deserialize` code of every type it reads.
 */
function groupItems(items) {
  const groups = new Map();
  for (const { name, shallow_size: size } of items) {
    const group = itemGroup(name.replace(CRATE_HASH, ""));
    groups.set(group, (groups.get(group) ?? 0) + size);
  }
  return [...groups].sort((a, b) => b[1] - a[1]);
}

function itemGroup(name) {
  if (name.startsWith('"function names"') || name.startsWith('"local names"') || name.startsWith("custom section")) {
    return "name section (not shipped)";
  }
  if (name.startsWith("data segment")) {
    return "data segments (strings, tables)";
  }
  const deserializing = name.includes("::de::") || name.includes("Deserialize");
  if (deserializing && name.includes("serde_wasm_bindgen")) {
    return "Deserialize code for serde_wasm_bindgen (JsValue)";
  }
  if (deserializing && (name.includes("content::Content") || name.includes("ContentDeserializer") || name.includes("content::"))) {
    return "Deserialize code for serde's buffered Content (internally tagged enums)";
  }
  if (deserializing && name.includes("serde_json::value")) {
    return "Deserialize code for serde_json::Value";
  }
  if (deserializing) {
    return "Deserialize code for other deserializers (serde_json's reader)";
  }
  if (name.includes("::ser::") || name.includes("Serialize>::serialize")) {
    return "Serialize code";
  }
  const crate = /^[<&\s]*(?:dyn )?([a-z_][a-z0-9_]*)::/.exec(name)?.[1];
  return crate ? `crate ${crate}` : "other (glue, unnamed)";
}

export async function pageWeight() {
  heading("1. page weight (dist/ files of the first load; 1 KB = 1,000 bytes)");
  const server = await startStaticServer("/");
  let files;
  try {
    files = await fetchedFiles(server);
  } finally {
    await server.close();
  }

  const rows = [];
  for (const file of files) {
    const body = await readFile(path.join(settings.dist, file));
    rows.push({ file, ...sizes(body) });
  }
  const total = rows.reduce((sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip, brotli: sum.brotli + row.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });

  console.log(`  ${"raw".padStart(10)} ${"gzip -9".padStart(10)} ${"brotli 11".padStart(10)}  file`);
  for (const row of [...rows, { file: "total", ...total }]) {
    console.log(`  ${grouped(row.raw).padStart(10)} ${grouped(row.gzip).padStart(10)} ${grouped(row.brotli).padStart(10)}  ${row.file}`);
  }
  const result = figure("total gzipped", total.gzip / 1000, "KB", TARGET_GZIP_BYTES / 1000);
  printFigure(result);

  const twiggy = await contributors();
  console.log(`\n  largest wasm contributors (twiggy top -n ${TOP_CONTRIBUTORS}, wasm with its name section kept):`);
  console.log(twiggy.table ? indent(twiggy.table) : `  skipped: ${twiggy.skipped}`);
  if (twiggy.groups) {
    console.log("\n  the same items in groups (bytes before compression):");
    for (const [group, size] of twiggy.groups.slice(0, 14)) {
      console.log(`  ${grouped(size).padStart(10)}  ${group}`);
    }
  }

  return { files: rows, total, figures: [result], twiggy: twiggy.table ?? null, groups: twiggy.groups ?? null };
}
