// Shared pieces of the end-to-end tests: the helper serving dist/, a plain static server for
// the sub-path case, and headless Chromium through playwright-core.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Settings from the environment that `cargo xtask test` sets, with defaults for a manual run. */
export const config = {
  helper: process.env.ACR_HEALTH_HELPER ?? path.join(repositoryRoot, "target", "debug", "acr-health-helper"),
  dist: process.env.ACR_HEALTH_DIST ?? path.join(repositoryRoot, "dist"),
  outputDir: process.env.ACR_HEALTH_TEST_OUTPUT ?? path.join(repositoryRoot, "test-output"),
  chromium: process.env.ACR_HEALTH_CHROMIUM ?? "/usr/bin/chromium",
};

/** Titles the page shows, per language. */
export const TITLES = {
  en: "Registry health check",
  ko: "레지스트리 상태 점검",
};

// Chromium flags for a machine without outside network; Playwright adds its own headless flag.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const HELPER_START_TIMEOUT_MS = 30_000;

/**
 * Starts `acr-health-helper serve` on a free loopback port and waits for its `url:` line.
 * Returns `{ url, port, stop, log }`; `url` carries the pairing fragment (`#pair=...`).
 * `env` adds variables to the helper's environment, such as `AZ_COMMAND`.
 */
export async function startHelper({ env = {} } = {}) {
  await assertFile(config.helper, "the helper binary (cargo build -p acr-health-helper)");
  await assertFile(path.join(config.dist, "index.html"), "dist/index.html (cargo xtask build)");

  const port = await freePort();
  const child = spawn(config.helper, ["serve", "--no-open", "--port", String(port), "--dist", config.dist], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });

  // Keep the helper's log for the failure message, bounded.
  let log = "";
  child.stderr.on("data", (chunk) => {
    log = (log + chunk.toString()).slice(-8_000);
  });

  const exited = once(child, "exit").then(([code, signal]) => ({ code, signal }));
  const lines = createInterface({ input: child.stdout });
  const urlLine = new Promise((resolve) => {
    lines.on("line", (line) => {
      if (line.startsWith("url: ")) {
        resolve(line.slice("url: ".length).trim());
      }
    });
  });
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), HELPER_START_TIMEOUT_MS).unref());

  const first = await Promise.race([urlLine, exited.then((status) => ({ status })), timeout]);
  const stop = () => stopProcess(child, exited);
  if (typeof first !== "string") {
    await stop();
    const why = first === null ? `printed no "url:" line within ${HELPER_START_TIMEOUT_MS} ms` : `exited (${describeExit(first.status)})`;
    throw new Error(`acr-health-helper serve ${why} before it was ready; its log:\n${log}`);
  }

  return { url: first, port, stop, log: () => log };
}

async function stopProcess(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

function describeExit({ code, signal }) {
  return signal ? `signal ${signal}` : `status ${code}`;
}

async function assertFile(file, what) {
  try {
    await stat(file);
  } catch {
    throw new Error(`${file} is missing: ${what}. Run the suite with cargo xtask test.`);
  }
}

/** Returns a loopback port that nothing listens on at the moment of the call. */
export async function freePort() {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

/**
 * Serves `dist/` as plain static files under `prefix` (such as `/tools/acr-health/`), as any web
 * server would, to show that the build needs no server of its own. Returns `{ url, close }`.
 */
export async function startStaticServer(prefix) {
  const root = path.resolve(config.dist);
  const server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url, "http://127.0.0.1");
    if (!pathname.startsWith(prefix)) {
      response.writeHead(404).end("outside the prefix");
      return;
    }
    const relative = decodeURIComponent(pathname.slice(prefix.length)) || "index.html";
    const file = path.resolve(root, relative);
    if (!file.startsWith(root + path.sep)) {
      response.writeHead(403).end("outside dist");
      return;
    }
    try {
      const body = await readFile(file);
      const type = CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream";
      response.writeHead(200, { "content-type": type }).end(body);
    } catch {
      response.writeHead(404).end("not found");
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Launches headless Chromium with a fresh profile and the given locale, which sets
 * `navigator.languages`. Returns `{ context, close }`.
 */
export async function launchBrowser(locale) {
  const profile = await mkdtemp(path.join(tmpdir(), "acr-health-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: config.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    locale,
    viewport: { width: 1000, height: 700 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens `url` in a new page and records what would show a broken load: console errors,
 * uncaught exceptions, failed requests and error statuses. A request to `expectedRefusal` (a
 * URL) may fail: the page probes for a helper where the test started none, and Chromium logs
 * that refused connection to the console whatever the page does.
 */
export async function openPage(context, url, { expectedRefusal = null } = {}) {
  const page = await context.newPage();
  const problems = [];
  const expected = (where) => expectedRefusal !== null && where === expectedRefusal;
  page.on("console", (message) => {
    const where = message.location()?.url;
    if (message.type() === "error" && !expected(where)) {
      problems.push(`console error: ${message.text()}${where ? ` (${where})` : ""}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`uncaught exception: ${error.message}`));
  // Chromium sometimes reports a fetch of a `Cache-Control: no-store` answer (the helper's API)
  // as aborted although its whole body was read: the abort then arrives after a successful
  // response. An abort before any response, or any other failure, is still a problem.
  const answered = new Set();
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText;
    if (failure === "net::ERR_ABORTED" && answered.has(request)) {
      return;
    }
    if (!expected(request.url())) {
      problems.push(`request failed: ${request.url()} (${failure})`);
    }
  });
  page.on("response", (response) => {
    if (response.status() >= 400) {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    } else {
      answered.add(response.request());
    }
  });

  await page.goto(url, { waitUntil: "load" });
  return { page, problems };
}

/** Reads the DOM hooks the tests assert on, once the page has rendered its title. */
export async function readShell(page) {
  await page.waitForSelector("h1", { timeout: 20_000 });
  return {
    title: (await page.textContent("h1"))?.trim(),
    htmlLang: await page.getAttribute("html", "lang"),
    languageChoice: await page.inputValue("select#lang"),
    languageOptions: await page.$$eval("select#lang option", (options) => options.map((option) => option.value)),
    hasRegistryInput: (await page.locator("input#registry").count()) === 1,
    hasResults: (await page.locator("section#results").count()) === 1,
  };
}

/** Saves a full-page screenshot as `<outputDir>/<name>.png` and returns its path. */
export async function screenshot(page, name) {
  await mkdir(config.outputDir, { recursive: true });
  const file = path.join(config.outputDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Returns `url` with `params` added to its query, keeping its fragment. */
export function withQuery(url, params) {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(params)) {
    parsed.searchParams.set(name, value);
  }
  return parsed.toString();
}
