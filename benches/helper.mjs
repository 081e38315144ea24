// Figure 4, the helper: wall time of `acr-health-helper check` against the healthy lab, start
// to exit; resident memory of an idle `serve`, read from /proc; the release binary's size.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile, stat } from "node:fs/promises";
import { createInterface } from "node:readline";

import { freePort } from "../tests/e2e/harness.mjs";
import { LAB_TENANT, figure, heading, median, printFigure, settings, spread } from "./support.mjs";

const TARGET_CHECK_MS = 150;
const TARGET_RSS_MB = 15;
const TARGET_BINARY_MB = 10;
/** Time `serve` is left alone after it printed its address, before its memory is read. */
const IDLE_MS = 2_000;
const SERVE_START_TIMEOUT_MS = 30_000;

/** Runs `acr-health-helper check` once and returns its wall time, exit status and report. */
async function timedCheck(lab, token, extraArgs) {
  const started = process.hrtime.bigint();
  const child = spawn(settings.helper, ["check", lab.registry, "--output", "json", "--aad-token-stdin", "--tenant", LAB_TENANT, ...extraArgs], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, RUST_LOG: "warn" },
  });
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.resume();
  child.stdin.end(token);
  const [code] = await once(child, "exit");
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const report = JSON.parse(stdout);
  return { wallMs, code, report };
}

function statusCounts(report) {
  const counts = {};
  for (const result of report.results) {
    counts[result.status] = (counts[result.status] ?? 0) + 1;
  }
  return Object.entries(counts)
    .map(([status, count]) => `${count} ${status}`)
    .join(", ");
}

async function checkWallTime(lab) {
  await lab.setScenario("healthy", 0);
  const token = await lab.aadToken();
  const args = ["--ignore-errors"];

  // One run that is not counted, so the binary's pages are in the file cache.
  await timedCheck(lab, token, args);
  const runs = [];
  for (let index = 0; index < settings.checks; index += 1) {
    runs.push(await timedCheck(lab, token, args));
  }
  const { median: mid, min, max } = spread(runs.map((run) => run.wallMs));
  const last = runs.at(-1);
  console.log(`  check ${lab.registry} --aad-token-stdin --ignore-errors (${runs.length} runs; hyperfine is not used, the runs are timed here)`);
  console.log(`    wall time: median ${mid.toFixed(1)} ms, min ${min.toFixed(1)}, max ${max.toFixed(1)}; exit status ${last.code}; ${statusCounts(last.report)}`);
  const dataPath = last.report.results.find((result) => result.check === "data_path");
  console.log(`    data path: ${dataPath?.status}; local checks: ${last.report.results.filter((r) => r.check.startsWith("docker") || r.check.startsWith("helm") || r.check.startsWith("notary")).map((r) => `${r.check} ${r.status}`).join(", ")}`);

  // Without --ignore-errors the same checks run: the flag is accepted for az compatibility.
  const plain = [];
  for (let index = 0; index < 5; index += 1) {
    plain.push(await timedCheck(lab, token, []));
  }
  console.log(`  the same without --ignore-errors (5 runs): median ${median(plain.map((run) => run.wallMs)).toFixed(1)} ms; ${statusCounts(plain.at(-1).report)}`);

  return { runs: runs.map(({ wallMs, code }) => ({ wallMs, code })), figure: figure("check wall time", mid, "ms", TARGET_CHECK_MS) };
}

/** Reads a `VmRSS:`-style line of /proc/PID/status, in kB. */
function procField(status, name) {
  const line = status.split("\n").find((entry) => entry.startsWith(`${name}:`));
  return line ? Number(line.split(/\s+/)[1]) : null;
}

async function idleServeMemory() {
  const port = await freePort();
  const child = spawn(settings.helper, ["serve", "--no-open", "--port", String(port), "--dist", settings.dist], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr.resume();
  const exited = once(child, "exit");
  try {
    const lines = createInterface({ input: child.stdout });
    const ready = new Promise((resolve) => lines.on("line", (line) => line.startsWith("url: ") && resolve(true)));
    const timeout = new Promise((resolve) => setTimeout(() => resolve(false), SERVE_START_TIMEOUT_MS).unref());
    if (!(await Promise.race([ready, timeout, exited.then(() => false)]))) {
      throw new Error(`acr-health-helper serve printed no url: line within ${SERVE_START_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const status = await readFile(`/proc/${child.pid}/status`, "utf8");
    return { rssKb: procField(status, "VmRSS"), hwmKb: procField(status, "VmHWM"), threads: procField(status, "Threads") };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

export async function helperFigures(lab) {
  heading("4. the helper (1 MB = 1,000,000 bytes)");
  const check = await checkWallTime(lab);
  printFigure(check.figure);

  const memory = await idleServeMemory();
  console.log(`  serve, ${IDLE_MS / 1000} s after start: VmRSS ${memory.rssKb} kB, VmHWM ${memory.hwmKb} kB, ${memory.threads} threads`);
  const rss = figure("serve idle resident memory", (memory.rssKb * 1024) / 1e6, "MB", TARGET_RSS_MB);
  printFigure(rss);

  const { size } = await stat(settings.helper);
  console.log(`  ${settings.helper}: ${size.toLocaleString("en-US")} bytes`);
  const binary = figure("release binary size", size / 1e6, "MB", TARGET_BINARY_MB);
  printFigure(binary);

  return { check, memory, binaryBytes: size, figures: [check.figure, rss, binary] };
}
