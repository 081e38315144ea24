// Figure 3, diagnosis time against the critical path. The lab delays every response by
// LATENCY_MS, and a full registry run (challenge, exchange, token and data path, with an Azure
// AD token as the credential) runs in the page and in `acr-health-helper check`. The figure is
// the run's wall time divided by the longest chain of dependent requests times LATENCY_MS. The
// chain is read from the requests the lab received during the run.

import { spawn } from "node:child_process";
import { once } from "node:events";

import { freePort, startStaticServer } from "../tests/e2e/harness.mjs";
import { LAB_TENANT, figure, heading, launchChromium, median, printFigure, settings, watchRows } from "./support.mjs";

export const LATENCY_MS = 100;
const TARGET_RATIO = 1.1;
const RUN_TIMEOUT_MS = 60_000;
/** Time for the lab's last log lines to reach us after a run. */
const LOG_SETTLE_MS = 300;
/** Slack for timestamps rounded to the microsecond, so that rounding never breaks a link. */
const CLOCK_SLACK_MS = 1;

/**
 * Returns the longest chain of requests in which each request reached the lab at least
 * `latencyMs` after the one before it, which is the earliest it could have been sent had it
 * waited for that one's response. Requests sent side by side never chain.
 */
export function longestChain(requests, latencyMs) {
  const sorted = [...requests].sort((a, b) => a.at_ms - b.at_ms);
  const best = sorted.map(() => ({ length: 1, previous: -1 }));
  for (let index = 0; index < sorted.length; index += 1) {
    for (let before = 0; before < index; before += 1) {
      const waited = sorted[index].at_ms - sorted[before].at_ms >= latencyMs - CLOCK_SLACK_MS;
      if (waited && best[before].length + 1 > best[index].length) {
        best[index] = { length: best[before].length + 1, previous: before };
      }
    }
  }
  let end = best.reduce((longest, entry, index) => (entry.length > best[longest].length ? index : longest), 0);
  const chain = [];
  while (end !== -1 && sorted.length > 0) {
    chain.unshift(sorted[end]);
    end = best[end].previous;
  }
  return chain;
}

/** `GET /v2/hello-world/blobs/sha256:ff14dd6252a7...`, with digests cut short. */
const describeRequest = (request) => {
  const target = request.uri.split("?")[0].replace(/(sha256:[0-9a-f]{12})[0-9a-f]+/g, "$1...");
  return `${request.method} ${target}${request.listener === "storage" ? " (storage)" : ""}`;
};

/** `GET /v2/ -(+3 ms)-> POST /oauth2/exchange ...`: each link's wait beyond the latency. */
function describeChain(chain) {
  return chain
    .map((request, index) => {
      const gap = index === 0 ? "" : ` -(+${(request.at_ms - chain[index - 1].at_ms - LATENCY_MS).toFixed(0)} ms)-> `;
      return `${gap}${describeRequest(request)}`;
    })
    .join("");
}

function requestsSince(lab, startedAtMs) {
  return lab.requests().filter((request) => request.at_ms >= startedAtMs - CLOCK_SLACK_MS);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the registry checks once in the page: fills the form, clicks Run, waits for every browser row to end. */
async function pageRun(browser, pageUrl, lab, token) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(watchRows);
    await page.goto(pageUrl, { waitUntil: "load" });
    await page.waitForSelector("button#run", { timeout: RUN_TIMEOUT_MS });
    await page.fill("input#registry", lab.registry);
    await page.selectOption("select#credential-kind", "aad_token");
    await page.fill("input#token", token);
    await page.fill("input#tenant", LAB_TENANT);

    const clickedAt = await page.evaluate(() => {
      const at = performance.now();
      document.querySelector("button#run").click();
      return at;
    });
    const clickedAtMs = await page.evaluate((at) => performance.timeOrigin + at, clickedAt);
    await page.waitForFunction(
      () => {
        const rows = [...document.querySelectorAll("li.check[data-side=browser]")];
        return rows.some((row) => row.dataset.check === "data_path") && rows.every((row) => `browser/${row.dataset.check}` in window.__bench.rows);
      },
      null,
      { timeout: RUN_TIMEOUT_MS, polling: 20 },
    );
    const { finished, statuses } = await page.evaluate(() => ({
      finished: Math.max(...Object.entries(window.__bench.rows).filter(([key]) => key.startsWith("browser/")).map(([, at]) => at)),
      statuses: Object.fromEntries([...document.querySelectorAll("li.check[data-side=browser]")].map((row) => [row.dataset.check, row.dataset.status])),
    }));
    await sleep(LOG_SETTLE_MS);
    return { startedAtMs: clickedAtMs, wallMs: finished - clickedAt, statuses, requests: requestsSince(lab, clickedAtMs) };
  } finally {
    await context.close();
  }
}

/** Runs `acr-health-helper check` once, with the Azure AD token on standard input. */
async function helperRun(lab, token) {
  const startedAtMs = Date.now();
  const started = process.hrtime.bigint();
  const child = spawn(
    settings.helper,
    ["check", lab.registry, "--output", "json", "--aad-token-stdin", "--tenant", LAB_TENANT, "--ignore-errors"],
    { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } },
  );
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.resume();
  child.stdin.end(token);
  const [code] = await once(child, "exit");
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  await sleep(LOG_SETTLE_MS);

  let statuses = {};
  try {
    const report = JSON.parse(stdout);
    statuses = Object.fromEntries(report.results.map((result) => [result.check, result.status]));
  } catch (error) {
    throw new Error(`acr-health-helper check exited ${code} without a JSON report: ${error.message}\n${stdout.slice(0, 2000)}`);
  }
  return { startedAtMs, wallMs, statuses, requests: requestsSince(lab, startedAtMs) };
}

/**
 * Splits a run's wall time beyond the critical path into: start to the first request reaching
 * the lab, the time between chained requests beyond the latency (the lab's own work, the
 * client's work and the connection), and the last response to the end of the run.
 */
function overheads(run) {
  const chain = longestChain(run.requests, LATENCY_MS);
  if (chain.length === 0) {
    return { before: NaN, between: NaN, after: NaN };
  }
  let between = 0;
  for (let index = 1; index < chain.length; index += 1) {
    between += chain[index].at_ms - chain[index - 1].at_ms - LATENCY_MS;
  }
  return {
    before: chain[0].at_ms - run.startedAtMs,
    between,
    after: run.startedAtMs + run.wallMs - (chain.at(-1).at_ms + LATENCY_MS),
  };
}

function summarize(label, runs) {
  const ratios = runs.map((run) => run.wallMs / (longestChain(run.requests, LATENCY_MS).length * LATENCY_MS));
  const typical = runs[0];
  const chain = longestChain(typical.requests, LATENCY_MS);
  console.log(`  ${label}: ${runs.length} runs`);
  console.log(`    requests the lab received in one run (${typical.requests.length}): ${typical.requests.map(describeRequest).join(", ")}`);
  console.log(`    longest dependent chain (${chain.length}), with each link's time beyond the latency:`);
  console.log(`      ${describeChain(chain)}`);
  console.log(`    critical path: ${chain.length} x ${LATENCY_MS} ms = ${chain.length * LATENCY_MS} ms`);
  console.log(`    wall time: median ${median(runs.map((run) => run.wallMs)).toFixed(0)} ms`);
  const parts = runs.map((run) => overheads(run));
  const part = (name) => median(parts.map((entry) => entry[name])).toFixed(0);
  console.log(
    `    beyond the latency (medians): ${part("before")} ms before the first request reached the lab, ` +
      `${part("between")} ms between the chain's requests, ${part("after")} ms after the last response left the lab`,
  );
  const dataPath = typical.statuses.data_path;
  if (dataPath !== "pass") {
    console.log(`    NOTE: the data path check ended ${dataPath}, so this was not a full run: ${JSON.stringify(typical.statuses)}`);
  }
  const result = figure(`${label}, wall time / critical path`, median(ratios), "", TARGET_RATIO);
  printFigure(result);
  return { runs, chain, figures: [result] };
}

export async function criticalPath(lab) {
  heading(`3. diagnosis time against the critical path (lab latency ${LATENCY_MS} ms, median of ${settings.runs} runs)`);
  await lab.setScenario("healthy", LATENCY_MS);
  const token = await lab.aadToken();

  const server = await startStaticServer("/");
  const browser = await launchChromium();
  const helperPort = await freePort();
  const pageUrl = `${server.url}index.html?helper_port=${helperPort}`;
  const pageRuns = [];
  try {
    for (let index = 0; index < settings.runs; index += 1) {
      pageRuns.push(await pageRun(browser, pageUrl, lab, token));
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const page = summarize("page", pageRuns);

  const helperRuns = [];
  for (let index = 0; index < settings.runs; index += 1) {
    helperRuns.push(await helperRun(lab, token));
  }
  const helper = summarize("acr-health-helper check", helperRuns);

  await lab.setScenario("healthy", 0);
  return { page, helper, figures: [...page.figures, ...helper.figures] };
}
