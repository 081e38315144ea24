// Pieces every benchmark shares: the binaries' paths, the lab with its request log, headless
// Chromium with a fresh cache per load, medians and the lines that print a figure against its
// target.

import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Paths and counts from the environment that `cargo xtask bench` sets, with defaults. */
export const settings = {
  root: repositoryRoot,
  helper: process.env.ACR_HEALTH_HELPER ?? path.join(repositoryRoot, "target", "release", "acr-health-helper"),
  lab: process.env.ACR_HEALTH_LAB ?? path.join(repositoryRoot, "target", "release", "lab"),
  dist: process.env.ACR_HEALTH_DIST ?? path.join(repositoryRoot, "dist"),
  chromium: process.env.ACR_HEALTH_CHROMIUM ?? "/usr/bin/chromium",
  twiggy: process.env.ACR_HEALTH_TWIGGY ?? path.join(repositoryRoot, ".tools", "bin", "twiggy"),
  namedWasm: process.env.ACR_HEALTH_NAMED_WASM ?? null,
  loads: Number(process.env.ACR_HEALTH_BENCH_LOADS ?? 25),
  runs: Number(process.env.ACR_HEALTH_BENCH_RUNS ?? 7),
  checks: Number(process.env.ACR_HEALTH_BENCH_CHECKS ?? 25),
};

// Chromium flags for a machine without outside network, as the end-to-end tests use them.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const LAB_START_TIMEOUT_MS = 60_000;

/** The lab's log line for each request it receives, on the login server or the storage listener. */
const REQUEST_LINE = /^(\S+)\s+DEBUG\s+\S+: (login server|storage) request method=(\S+) uri=(\S+)/;

/**
 * Starts `lab up --plain-http` on ephemeral loopback ports with its request log at debug level.
 * Returns the lab's JSON line plus `requests()` (every request received so far, as
 * `{ at_ms, listener, method, uri }` with `at_ms` the lab's clock in Unix milliseconds),
 * `setScenario(name, latencyMs)` and `stop()`.
 */
export async function startLab() {
  const child = spawn(settings.lab, ["up", "--plain-http", "--login-port", "0", "--storage-port", "0", "--control-port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, RUST_LOG: "info,acr_health_lab=debug", NO_COLOR: "1" },
  });

  const received = [];
  let tail = "";
  createInterface({ input: child.stderr }).on("line", (raw) => {
    const line = raw.replace(/\x1b\[[0-9;]*m/g, "");
    tail = (tail + line + "\n").slice(-8_000);
    const match = REQUEST_LINE.exec(line);
    if (match) {
      const [, timestamp, listener, method, uri] = match;
      received.push({ at_ms: Date.parse(timestamp), at: timestamp, listener, method, uri });
    }
  });

  const exited = once(child, "exit");
  const stdout = createInterface({ input: child.stdout });
  const firstLine = new Promise((resolve) => stdout.once("line", resolve));
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), LAB_START_TIMEOUT_MS).unref());
  const line = await Promise.race([firstLine, exited.then(() => null), timeout]);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  };
  if (typeof line !== "string") {
    await stop();
    throw new Error(`${settings.lab} up printed no JSON line within ${LAB_START_TIMEOUT_MS} ms; its log:\n${tail}`);
  }

  const lab = JSON.parse(line);
  return {
    ...lab,
    registry: `${lab.scheme}://${lab.login_server}`,
    requests: () => received.slice(),
    log: () => tail,
    stop,
    async setScenario(name, latencyMs) {
      const response = await fetch(`${lab.control}/scenario`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name, latency_ms: latencyMs, skew_minutes: 0 }),
      });
      if (!response.ok) {
        throw new Error(`PUT /scenario answered ${response.status}: ${await response.text()}`);
      }
    },
    async aadToken() {
      const response = await fetch(`${lab.control}/aad-token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ tenant: LAB_TENANT, object_id: "bench-object", expired: false }),
      });
      if (!response.ok) {
        throw new Error(`POST /aad-token answered ${response.status}: ${await response.text()}`);
      }
      return (await response.json()).access_token;
    },
  };
}

/** The tenant of the lab's "AAD" tokens in the benchmarks. */
export const LAB_TENANT = "bench-tenant";

/** Launches headless Chromium; each `newContext()` of it starts with an empty cache. */
export async function launchChromium() {
  return chromium.launch({ executablePath: settings.chromium, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A script for `addInitScript`: records in `window.__bench.rows` the `performance.now()` at
 * which each check row (`li.check`) first showed a final status, keyed `side/check`.
 */
export function watchRows() {
  const FINAL = new Set(["pass", "warning", "fail", "skipped"]);
  const bench = { rows: {}, firstFinal: null };
  window.__bench = bench;
  const scan = () => {
    for (const row of document.querySelectorAll("li.check[data-status]")) {
      const key = `${row.dataset.side}/${row.dataset.check}`;
      if (FINAL.has(row.dataset.status) && !(key in bench.rows)) {
        const now = performance.now();
        bench.rows[key] = now;
        bench.firstFinal ??= { at: now, key, status: row.dataset.status };
      }
    }
  };
  new MutationObserver(scan).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["data-status"],
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function spread(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** A figure against its target: `{ name, value, unit, target, met, detail }`. */
export function figure(name, value, unit, target, comparison = "<=") {
  const met = comparison === "<=" ? value <= target : value >= target;
  return { name, value, unit, target: `${comparison} ${target}${unit ? ` ${unit}` : ""}`, met };
}

/** Prints one figure as `name: value unit (target <= T unit: met)`. */
export function printFigure({ name, value, unit, target, met }) {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
  console.log(`  ${name}: ${shown}${unit ? ` ${unit}` : ""}  (target ${target}: ${met ? "met" : "NOT met"})`);
}

export function heading(text) {
  console.log(`\n== ${text}`);
}

/** Returns the lines `text` has, each indented by two spaces. */
export function indent(text) {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
