// Servers the share and embedding tests need beyond the shared harness: the lab, and plain
// file servers on their own loopback origins (one with CORS, as a page host that lets portals
// import its module, and one as the portal).

import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const LAB = process.env.ACR_HEALTH_LAB ?? path.join(repositoryRoot, "target", "debug", "lab");
const LAB_START_TIMEOUT_MS = 60_000;

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

/**
 * Starts `lab up --plain-http` on ephemeral loopback ports and returns its JSON line (see
 * `lab up --help`) with `stop()`. Throws with the lab's log if it prints no line in time.
 */
export async function startLab() {
  const child = spawn(LAB, ["up", "--plain-http", "--login-port", "0", "--storage-port", "0", "--control-port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stderr.on("data", (chunk) => {
    log = (log + chunk.toString()).slice(-8_000);
  });
  const exited = once(child, "exit");
  const lines = createInterface({ input: child.stdout });
  const firstLine = new Promise((resolve) => lines.once("line", resolve));
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
    throw new Error(`lab up printed no JSON line within ${LAB_START_TIMEOUT_MS} ms; its log:\n${log}`);
  }
  return { ...JSON.parse(line), stop, log: () => log };
}

/** Asks the lab's control API for a lab-signed "AAD" access token. */
export async function mintAadToken(lab) {
  const response = await fetch(`${lab.control}/aad-token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tenant: "lab-tenant", object_id: "lab-object", expired: false }),
  });
  if (!response.ok) {
    throw new Error(`POST /aad-token answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()).access_token;
}

/** Asks the lab's control API for an ARM access token: valid, or as `body` asks (`expired`, `audience`). */
export async function mintArmToken(lab, body = {}) {
  const response = await fetch(`${lab.control}/arm-token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`POST /arm-token returned ${response.status}: ${await response.text()}`);
  }
  return (await response.json()).access_token;
}

/**
 * Exchanges an AAD token for an ACR refresh token at the lab's login server, as
 * `az acr login --expose-token` does.
 */
export async function exchangeRefreshToken(lab, aadToken) {
  const body = new URLSearchParams({
    grant_type: "access_token",
    service: lab.login_server,
    tenant: "lab-tenant",
    access_token: aadToken,
  });
  const response = await fetch(`${lab.scheme}://${lab.login_server}/oauth2/exchange`, { method: "POST", body });
  if (!response.ok) {
    throw new Error(`POST /oauth2/exchange answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()).refresh_token;
}

/**
 * Serves the files under `root` at `/` on a free loopback port. With `cors`, every response
 * carries `Access-Control-Allow-Origin: *`. `headers` are added to HTML responses.
 */
export async function startFileServer(root, { cors = false, headers = {} } = {}) {
  const base = path.resolve(root);
  const server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url, "http://127.0.0.1");
    const relative = decodeURIComponent(pathname).replace(/^\/+/, "") || "index.html";
    const file = path.resolve(base, relative);
    const extra = cors ? { "access-control-allow-origin": "*" } : {};
    if (file !== base && !file.startsWith(base + path.sep)) {
      response.writeHead(403, extra).end("outside the root");
      return;
    }
    try {
      const body = await readFile(file);
      const type = CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream";
      const html = type.startsWith("text/html") ? headers : {};
      response.writeHead(200, { "content-type": type, ...extra, ...html }).end(body);
    } catch {
      response.writeHead(404, extra).end("not found");
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Reads the DOM hooks of every check row: check, status, code and side. */
export async function readChecks(page) {
  return page.$$eval("li.check", (rows) =>
    rows.map((row) => ({
      check: row.dataset.check,
      side: row.dataset.side,
      status: row.dataset.status,
      code: row.dataset.code,
    })),
  );
}

/**
 * Drops the problems a run causes on purpose: responses and failures of the registry under test
 * (a 401 challenge is its normal response), of the helper's default port when no helper runs, and
 * requests the page aborted itself (a timeout or a superseded helper lookup). Uncaught
 * exceptions and failures of the page's own files stay.
 */
export function unexpectedProblems(problems, lab) {
  const expected = [`http://${lab.login_server}/`, "http://127.0.0.1:8765/"];
  return problems.filter(
    (problem) => !expected.some((prefix) => problem.includes(prefix)) && !problem.endsWith("(net::ERR_ABORTED)"),
  );
}
