// Figure 2, time to first result: from navigation to the first check row with a final status,
// in headless Chromium with an empty cache on every load, the page autorunning against the lab
// on loopback.

import { freePort, startStaticServer } from "../tests/e2e/harness.mjs";
import { figure, heading, launchChromium, median, printFigure, settings, spread, watchRows } from "./support.mjs";

const TARGET_MS = 250;
const LOAD_TIMEOUT_MS = 30_000;

/** Loads the page once in a fresh context and returns its timings in milliseconds. */
async function oneLoad(browser, url) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(watchRows);
    await page.goto(url, { waitUntil: "commit" });
    await page.waitForFunction(() => Boolean(window.__bench?.firstFinal), null, { timeout: LOAD_TIMEOUT_MS, polling: 50 });
    // The first result from the network: any row other than the login server's, which the
    // page decides from the address alone.
    await page.waitForFunction(() => Object.keys(window.__bench?.rows ?? {}).some((key) => !key.endsWith("/login_server")), null, {
      timeout: LOAD_TIMEOUT_MS,
      polling: 50,
    });
    return await page.evaluate(() => {
      const navigation = performance.getEntriesByType("navigation")[0];
      const wasm = performance.getEntriesByType("resource").find((entry) => entry.name.endsWith(".wasm"));
      const network = Object.entries(window.__bench.rows)
        .filter(([key]) => !key.endsWith("/login_server"))
        .map(([, at]) => at);
      return {
        firstResult: window.__bench.firstFinal.at,
        firstRow: `${window.__bench.firstFinal.key} ${window.__bench.firstFinal.status}`,
        firstNetworkResult: Math.min(...network),
        htmlDone: navigation.responseEnd,
        domContentLoaded: navigation.domContentLoadedEventEnd,
        wasmDone: wasm ? wasm.responseEnd : null,
      };
    });
  } finally {
    await context.close();
  }
}

export async function timeToFirstResult(lab) {
  heading(`2. time to first result (${settings.loads} cold loads, median)`);
  await lab.setScenario("healthy", 0);
  const server = await startStaticServer("/");
  const browser = await launchChromium();
  // No helper listens on this port, so the page's helper probe ends at once, as on a machine
  // without the helper.
  const helperPort = await freePort();
  const url = `${server.url}index.html?autorun=1&helper_port=${helperPort}&registry=${encodeURIComponent(lab.registry)}`;

  const loads = [];
  try {
    // One load that is not counted, so Chromium's own start-up work is out of the figures.
    await oneLoad(browser, url);
    for (let index = 0; index < settings.loads; index += 1) {
      loads.push(await oneLoad(browser, url));
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const column = (name) => loads.map((load) => load[name]).filter((value) => value !== null);
  const show = (label, name) => {
    const { median: mid, min, max } = spread(column(name));
    console.log(`  ${label.padEnd(36)} median ${mid.toFixed(0).padStart(5)} ms   min ${min.toFixed(0).padStart(5)}   max ${max.toFixed(0).padStart(5)}`);
  };
  show("HTML received", "htmlDone");
  show("wasm received", "wasmDone");
  show("DOMContentLoaded", "domContentLoaded");
  show("first result rendered", "firstResult");
  show("first result from the network", "firstNetworkResult");
  console.log(`  first row to finish: ${loads[0].firstRow}`);

  const result = figure("time to first result", median(column("firstResult")), "ms", TARGET_MS);
  printFigure(result);
  return { loads, figures: [result] };
}
