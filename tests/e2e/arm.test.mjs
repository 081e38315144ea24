// The ARM checks in the page, against the lab's Resource Manager. Every ARM scenario must show
// its row, status and code, with its explanation in English and in Korean. Tokens that are
// expired or meant for another audience are named as such. An `arm_url` on another host is
// rejected, and no ARM token appears in anything the page lets a user copy or share, or posts to
// an embedding page. The JavaScript API and the custom element take the ARM options, and the
// helper uses the machine's az login only when the user allows it.
//
// Each case types an ARM token minted by the lab into the page's ARM field, with `arm_url` in the
// page's address pointing at the lab. Nothing is sent past loopback: every request the browser
// makes to another host is aborted and fails the test.

import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { freePort, launchBrowser, openPage, screenshot, startHelper, startStaticServer, withQuery } from "./harness.mjs";
import { mintArmToken, readChecks, startLab } from "./share-support.mjs";

const RUN_TIMEOUT_MS = 60_000;
const HANGUL = /[\uac00-\ud7a3]/;
/** The client id of the user-assigned identity behind the lab registry's customer-managed key. */
const CMK_CLIENT_ID = "9d2f4e61-7a3b-4c85-b0e9-6a1d2c3b4f50";

/**
 * One case per ARM scenario. `registry` is the registry scenario run beside it, and `credential`
 * the form's credential for it. `name` is typed into "Registry name in Azure" where the login
 * server cannot identify the registry.
 *
 * `browser` is the row the page's own ARM run must show: `{check, status, code, says}`. `says`
 * lists, per language, text the explanation must contain (the evidence it names). `machine`,
 * where given, is the helper's row of the same check, for the cases that only the machine's DNS
 * answer can decide.
 */
const CASES = [
  {
    arm: "found",
    registry: "healthy",
    credential: "admin",
    browser: { check: "arm_registry", status: "pass", code: "", says: { en: ["labreg", "Premium"], ko: ["labreg", "Premium"] } },
  },
  {
    arm: "not-found",
    registry: "healthy",
    credential: "admin",
    browser: { check: "arm_registry", status: "fail", code: "LOGIN_SERVER_ERROR", says: { en: ["2 subscription"], ko: ["구독 2개"] } },
  },
  {
    arm: "forbidden",
    registry: "healthy",
    credential: "admin",
    browser: { check: "arm_registry", status: "fail", code: "LOGIN_SERVER_ERROR", says: { en: ["Microsoft.ContainerRegistry/registries/read"], ko: ["Microsoft.ContainerRegistry/registries/read"] } },
  },
  {
    arm: "other-cloud",
    registry: "healthy",
    credential: "admin",
    name: "labreg",
    browser: { check: "arm_registry", status: "fail", code: "LOGIN_SERVER_ERROR", says: { en: ["labreg.azurecr.cn", "Azure China"], ko: ["labreg.azurecr.cn", "Azure 중국"] } },
  },
  {
    arm: "cmk-present",
    registry: "healthy",
    credential: "admin",
    browser: { check: "encryption_identity", status: "pass", code: "", says: { en: ["labreg", CMK_CLIENT_ID], ko: ["labreg", CMK_CLIENT_ID] } },
  },
  {
    arm: "cmk-deleted",
    registry: "healthy",
    credential: "admin",
    browser: { check: "encryption_identity", status: "fail", code: "CMK_ERROR", says: { en: ["labreg", CMK_CLIENT_ID, "deleted"], ko: ["labreg", CMK_CLIENT_ID] } },
  },
  {
    arm: "cmk-system-removed",
    registry: "healthy",
    credential: "admin",
    browser: { check: "encryption_identity", status: "fail", code: "CMK_ERROR", says: { en: ["labreg", "system"], ko: ["labreg"] } },
  },
  {
    arm: "network-deny",
    registry: "firewall-v2",
    credential: "anonymous",
    browser: {
      check: "network_rules",
      status: "fail",
      code: "CONNECTIVITY_FORBIDDEN_ERROR",
      says: { en: ["127.0.0.1", "203.0.113.0/24", "Deny"], ko: ["127.0.0.1", "203.0.113.0/24"] },
    },
  },
  {
    // The browser cannot learn the public IP it is seen from, but a login server that responded
    // to the challenge without 403 shows that the Deny default lets this client in.
    arm: "network-allow",
    registry: "healthy",
    credential: "admin",
    browser: { check: "network_rules", status: "pass", code: "", says: { en: ["203.0.113.0/24", "127.0.0.1", "without 403"], ko: ["203.0.113.0/24", "127.0.0.1", "403 없이"] } },
  },
  {
    // A registry whose public access is disabled answers public clients with 403.
    arm: "public-access-disabled",
    registry: "firewall-v2",
    credential: "admin",
    browser: { check: "network_rules", status: "fail", code: "CONNECTIVITY_FORBIDDEN_ERROR", says: { en: ["labreg", "Public network access"], ko: ["labreg", "퍼블릭 네트워크 액세스"] } },
  },
  {
    arm: "private-endpoint-match",
    registry: "healthy",
    credential: "admin",
    helper: true,
    browser: { check: "private_endpoints", status: "pass", code: "", says: { en: ["127.0.0.1", "helper"], ko: ["127.0.0.1", "헬퍼"] } },
    machine: { check: "private_endpoints", status: "pass", code: "" },
  },
  {
    arm: "private-endpoint-mismatch",
    registry: "healthy",
    credential: "admin",
    helper: true,
    browser: { check: "private_endpoints", status: "pass", code: "", says: { en: ["10.20.30.40", "helper"], ko: ["10.20.30.40", "헬퍼"] } },
    machine: { check: "private_endpoints", status: "fail", code: "CONNECTIVITY_DNS_ERROR", says: { en: ["10.20.30.40", "127.0.0.1"], ko: ["10.20.30.40", "127.0.0.1"] } },
  },
];

/** Switches the lab's registry and ARM scenarios. Throws with the lab's message if it rejects them. */
async function switchScenario(lab, registry, arm) {
  const response = await fetch(`${lab.control}/scenario`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: registry, latency_ms: 0, skew_minutes: 0, arm }),
  });
  if (!response.ok) {
    throw new Error(`PUT /scenario ${registry}/${arm} returned ${response.status}: ${await response.text()}`);
  }
}

/** Reads the lab's control state, which names the ARM listener's base URL. */
async function labState(lab) {
  const response = await fetch(`${lab.control}/state`);
  if (!response.ok) {
    throw new Error(`GET /state returned ${response.status}: ${await response.text()}`);
  }
  return response.json();
}

function isLoopback(url) {
  const { hostname } = new URL(url);
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
}

/**
 * Aborts every request the browser makes past loopback and records it, so that no test can
 * reach a real host even when the page misbehaves. Returns the list the test asserts empty.
 */
async function guardLoopback(context) {
  const outside = [];
  await context.route(
    (url) => !isLoopback(url.href),
    (route) => {
      outside.push(route.request().url());
      return route.abort("blockedbyclient");
    },
  );
  return outside;
}

/** Fills the registry, the credential and the ARM fields, and runs the checks. */
async function runChecks(page, lab, { credential, token, name = "", timeoutSeconds = 10 }) {
  await page.waitForSelector("button#run");
  await page.fill("input#registry", `http://${lab.login_server}`);
  await page.fill("input#timeout", String(timeoutSeconds));
  if (credential === "admin") {
    await page.selectOption("select#credential-kind", "password");
    await page.fill("input#username", lab.admin.username);
    await page.fill("input#password", lab.admin.password);
  } else {
    await page.selectOption("select#credential-kind", "anonymous");
  }
  await page.fill("input#arm-token", token);
  await page.fill("input#arm-registry", name);
  await page.click("button#run");
}

/** Waits until every row of one side has a final status. */
async function waitForSide(page, side) {
  await page.waitForFunction(
    (side) => {
      const rows = [...document.querySelectorAll(`li.check[data-side="${side}"]`)];
      return rows.length > 0 && rows.every((row) => !["pending", "running"].includes(row.dataset.status));
    },
    side,
    { timeout: RUN_TIMEOUT_MS },
  );
}

/** Returns the text of one row: status, title, code, finding, evidence and remedies. */
async function rowText(page, side, check) {
  return (await page.textContent(`li.check[data-side="${side}"][data-check="${check}"]`)) ?? "";
}

/** Asserts one row's status and code, and that its explanation names `says` in `lang`. */
async function assertRow(page, side, expected, lang) {
  const rows = (await readChecks(page)).filter((row) => row.side === side);
  const row = rows.find((candidate) => candidate.check === expected.check);
  assert.ok(row, `a ${side} row for ${expected.check}; rows: ${JSON.stringify(rows)}`);
  assert.equal(row.status, expected.status, `${side} ${expected.check} status; rows: ${JSON.stringify(rows)}`);
  assert.equal(row.code, expected.code, `${side} ${expected.check} code; rows: ${JSON.stringify(rows)}`);

  const text = await rowText(page, side, expected.check);
  if (lang === "ko") {
    assert.match(text, HANGUL, `the ${side} ${expected.check} row is in Korean: ${text}`);
  } else {
    assert.doesNotMatch(text, HANGUL, `the ${side} ${expected.check} row is in English: ${text}`);
  }
  if (expected.code) {
    assert.ok(text.includes(expected.code), `the row shows ${expected.code}: ${text}`);
  }
  for (const fragment of expected.says?.[lang] ?? []) {
    assert.ok(text.includes(fragment), `the ${lang} explanation of ${side} ${expected.check} names ${fragment}: ${text}`);
  }
}

describe("ARM checks in the page", () => {
  let lab;
  let armUrl;
  let helper;
  let pageOnly;
  let browser;
  let outside;

  before(async () => {
    lab = await startLab();
    armUrl = (await labState(lab)).arm_url;
    assert.match(armUrl ?? "", /^http:\/\/127\.0\.0\.1:\d+$/, "the lab reports its ARM listener");
    helper = await startHelper();
    // Browser-only cases: a plain file server, and the helper lookup pointed at a closed port.
    const server = await startStaticServer("/");
    pageOnly = { url: withQuery(server.url, { helper_port: String(await freePort()) }), close: server.close };
    browser = await launchBrowser("en-US");
    outside = await guardLoopback(browser.context);
  });

  after(async () => {
    await browser?.close();
    await pageOnly?.close();
    await helper?.stop();
    await lab?.stop();
  });

  test("every ARM scenario of the lab has a case here", async () => {
    const response = await fetch(`${lab.control}/arm-scenarios`);
    assert.ok(response.ok, `GET /arm-scenarios returned ${response.status}`);
    const listed = (await response.json()).map((scenario) => scenario.name ?? scenario);
    assert.deepEqual([...listed].sort(), CASES.map((expected) => expected.arm).sort());
  });

  for (const expected of CASES) {
    test(`${expected.arm}: ${expected.browser.check} ${expected.browser.status} ${expected.browser.code || "without a code"}`, async () => {
      await switchScenario(lab, expected.registry, expected.arm);
      const token = await mintArmToken(lab);
      const base = expected.helper ? helper.url : pageOnly.url;
      const { page } = await openPage(browser.context, withQuery(base, { arm_url: armUrl }));
      try {
        await runChecks(page, lab, { credential: expected.credential, token, name: expected.name });
        await waitForSide(page, "browser");
        await assertRow(page, "browser", expected.browser, "en");
        if (expected.machine) {
          await waitForSide(page, "machine");
          await assertRow(page, "machine", expected.machine, "en");
        }

        // The same report in Korean: statuses and codes unchanged, explanations in Korean.
        await page.selectOption("select#lang", "ko");
        await page.waitForFunction(() => document.documentElement.lang === "ko");
        await assertRow(page, "browser", expected.browser, "ko");
        if (expected.machine?.says) {
          await assertRow(page, "machine", expected.machine, "ko");
        }
        assert.deepEqual(outside, [], "no request left loopback");
      } catch (error) {
        await screenshot(page, `arm-${expected.arm}-failed`);
        throw error;
      } finally {
        await page.close();
      }
    });
  }

  for (const [what, body, says] of [
    ["an expired token", { expired: true }, { en: ["expired"], ko: ["만료"] }],
    ["a token for another audience", { audience: "https://vault.azure.net" }, { en: ["https://vault.azure.net"], ko: ["https://vault.azure.net"] }],
  ]) {
    test(`${what} is named as such, before any ARM request`, async () => {
      await switchScenario(lab, "healthy", "found");
      const token = await mintArmToken(lab, body);
      const armRequests = [];
      const { page } = await openPage(browser.context, withQuery(pageOnly.url, { arm_url: armUrl }));
      page.on("request", (request) => {
        if (request.url().startsWith(`${armUrl}/`)) {
          armRequests.push(request.url());
        }
      });
      try {
        await runChecks(page, lab, { credential: "admin", token });
        await waitForSide(page, "browser");
        const expected = { check: "arm_token", status: "fail", code: "ARM_TOKEN_ERROR", says };
        await assertRow(page, "browser", expected, "en");
        await page.selectOption("select#lang", "ko");
        await page.waitForFunction(() => document.documentElement.lang === "ko");
        await assertRow(page, "browser", expected, "ko");
        assert.deepEqual(armRequests, [], "the token's own claims decide, without asking ARM");
      } catch (error) {
        await screenshot(page, `arm-token-${body.expired ? "expired" : "audience"}-failed`);
        throw error;
      } finally {
        await page.close();
      }
    });
  }

  test("arm_url on another host is rejected with a note", async () => {
    await switchScenario(lab, "healthy", "found");
    const token = await mintArmToken(lab);
    const { page } = await openPage(browser.context, withQuery(pageOnly.url, { arm_url: "https://evil.invalid" }));
    const sent = [];
    page.on("request", (request) => {
      if (!isLoopback(request.url())) {
        sent.push(request.url());
      }
    });
    try {
      const note = page.locator("#arm-url-refused");
      await note.waitFor({ timeout: 20_000 });
      const english = await note.textContent();
      assert.ok(english.includes("https://evil.invalid"), english);
      assert.ok(english.includes("evil.invalid is not an Azure management endpoint"), english);
      assert.doesNotMatch(english, HANGUL);

      await runChecks(page, lab, { credential: "admin", token });
      await waitForSide(page, "browser");
      const rows = await readChecks(page);
      const armChecks = ["arm_token", "arm_registry", "network_rules", "private_endpoints", "encryption_identity"];
      assert.deepEqual(rows.filter((row) => armChecks.includes(row.check)), [], "no ARM check runs");
      assert.ok(rows.some((row) => row.check === "challenge" && row.status === "pass"), "the registry checks still run");
      assert.equal(await page.locator("#arm-url").count(), 0, "the refused URL is not shown as in use");

      await page.selectOption("select#lang", "ko");
      await page.waitForFunction(() => document.documentElement.lang === "ko");
      const korean = await note.textContent();
      assert.match(korean, HANGUL);
      assert.ok(korean.includes("https://evil.invalid"), korean);

      assert.deepEqual(sent, [], "no request to any host but loopback");
      assert.deepEqual(outside, [], "no request left loopback");
    } catch (error) {
      await screenshot(page, "arm-url-refused-failed");
      throw error;
    } finally {
      await page.close();
    }
  });

  test("runChecks takes armToken, armUrl and armRegistry", async () => {
    await switchScenario(lab, "healthy", "other-cloud");
    const token = await mintArmToken(lab);
    const { page } = await openPage(browser.context, pageOnly.url);
    try {
      await page.waitForSelector("button#run");
      const outcome = await page.evaluate(
        async ({ registry, token, armUrl }) => {
          const { load } = await import(new URL("www/acr-health.js", document.baseURI).href);
          const api = await load();
          const report = await api.runChecks({ registry, armToken: token, armUrl, armRegistry: "labreg", timeoutMs: 10000 });
          let rejection = null;
          try {
            await api.runChecks({ registry, armToken: token, armUrl: "https://evil.invalid" });
          } catch (error) {
            rejection = { code: error.code, message: error.message };
          }
          return { report: JSON.stringify(report), rejection };
        },
        { registry: `http://${lab.login_server}`, token, armUrl },
      );

      const report = JSON.parse(outcome.report);
      const row = report.results.find((result) => result.check === "arm_registry");
      assert.equal(row?.status, "fail", outcome.report);
      assert.equal(row?.code, "LOGIN_SERVER_ERROR", "armRegistry found labreg in another cloud");
      assert.ok(!outcome.report.includes(token), "the ARM token is not in the report");
      assert.equal(outcome.rejection?.code, "InvalidOptions", JSON.stringify(outcome.rejection));
      assert.ok(outcome.rejection.message.includes("evil.invalid"), outcome.rejection.message);
      assert.deepEqual(outside, [], "no request left loopback");
    } finally {
      await page.close();
    }
  });

  test("<acr-health> passes arm-url and arm-registry, never a token", async () => {
    const { page } = await openPage(browser.context, pageOnly.url);
    try {
      await page.waitForSelector("button#run");
      const frameUrl = await page.evaluate(async (armUrl) => {
        await import(new URL("www/acr-health.js", document.baseURI).href);
        const element = document.createElement("acr-health");
        element.setAttribute("registry", "labreg");
        element.setAttribute("arm-url", armUrl);
        element.setAttribute("arm-registry", "labreg");
        element.setAttribute("arm-token", "not-a-parameter");
        document.body.append(element);
        return element.shadowRoot.querySelector("iframe").src;
      }, armUrl);

      const query = new URL(frameUrl).searchParams;
      assert.equal(query.get("arm_url"), armUrl);
      assert.equal(query.get("arm_registry"), "labreg");
      assert.ok(!frameUrl.includes("not-a-parameter"), frameUrl);
    } finally {
      await page.close();
    }
  });

  test("helper uses the az login only when allowed", async () => {
    await switchScenario(lab, "healthy", "found");
    const token = await mintArmToken(lab);
    // A stand-in for az, which cannot sign in without the network: it records its arguments
    // and prints what `az account get-access-token --output json` prints.
    const folder = await mkdtemp(path.join(tmpdir(), "acr-health-az-"));
    const calls = path.join(folder, "calls");
    const az = path.join(folder, "az");
    const answer = JSON.stringify({ accessToken: token, expires_on: Math.floor(Date.now() / 1000) + 3600, tokenType: "Bearer" });
    await writeFile(az, `#!/bin/sh\nprintf '%s ' "$@" >> '${calls}'\nprintf '%s\\n' '${answer}'\n`);
    await chmod(az, 0o755);
    const azHelper = await startHelper({ env: { AZ_COMMAND: az } });
    const { page } = await openPage(browser.context, withQuery(azHelper.url, { arm_url: armUrl }));
    const armChecks = ["arm_token", "arm_registry", "network_rules", "private_endpoints", "encryption_identity"];
    try {
      const checkbox = page.locator("input#arm-from-az");
      await checkbox.waitFor({ timeout: 20_000 });

      // Without the box ticked and without a token, neither side runs ARM checks.
      await runChecks(page, lab, { credential: "admin", token: "" });
      await waitForSide(page, "machine");
      const before = await readChecks(page);
      assert.deepEqual(before.filter((row) => armChecks.includes(row.check)), [], "no ARM check without a token");
      await assert.rejects(readFile(calls, "utf8"), { code: "ENOENT" }, "az does not run unless allowed");

      await checkbox.check();
      await page.click("button#run");
      await waitForSide(page, "machine");
      const rows = await readChecks(page);
      assert.deepEqual(
        rows.filter((row) => row.side === "browser" && armChecks.includes(row.check)),
        [],
        "the browser has no token of its own",
      );
      const machineRegistry = rows.find((row) => row.side === "machine" && row.check === "arm_registry");
      assert.equal(machineRegistry?.status, "pass", JSON.stringify(rows));
      const machineToken = rows.find((row) => row.side === "machine" && row.check === "arm_token");
      assert.equal(machineToken?.status, "pass", JSON.stringify(rows));
      assert.match(await readFile(calls, "utf8"), /account get-access-token/);
      assert.ok(!(await page.textContent("body")).includes(token), "the az token stays in the helper");
    } catch (error) {
      await screenshot(page, "arm-from-az-failed");
      throw error;
    } finally {
      await page.close();
      await azHelper.stop();
      await rm(folder, { recursive: true, force: true });
    }
  });

  test("messages to the embedder carry ARM results, not the token", async () => {
    await switchScenario(lab, "healthy", "cmk-deleted");
    const token = await mintArmToken(lab);
    const { page } = await openPage(browser.context, pageOnly.url);
    try {
      await page.waitForSelector("button#run");
      const origin = new URL(pageOnly.url).origin;
      const frameUrl = withQuery(`${origin}/index.html`, {
        embedder: origin,
        arm_url: armUrl,
        helper_port: new URL(pageOnly.url).searchParams.get("helper_port"),
      });
      await page.evaluate((src) => {
        window.received = [];
        window.addEventListener("message", (event) => window.received.push(event.data));
        const frame = document.createElement("iframe");
        frame.id = "embedded";
        frame.src = src;
        document.body.append(frame);
      }, frameUrl);

      const frame = page.frameLocator("iframe#embedded");
      await frame.locator("button#run").waitFor({ timeout: 20_000 });
      await frame.locator("input#registry").fill(`http://${lab.login_server}`);
      await frame.locator("select#credential-kind").selectOption("password");
      await frame.locator("input#username").fill(lab.admin.username);
      await frame.locator("input#password").fill(lab.admin.password);
      await frame.locator("input#arm-token").fill(token);
      await frame.locator("button#run").click();
      await page.waitForFunction(() => window.received.some((message) => message?.type === "report"), null, {
        timeout: RUN_TIMEOUT_MS,
      });
      const messages = await page.evaluate(() => JSON.stringify(window.received));

      const report = JSON.parse(messages).find((message) => message.type === "report").report;
      const row = report.results.find((result) => result.check === "encryption_identity");
      assert.equal(row?.code, "CMK_ERROR", JSON.stringify(report.results));
      assert.ok(!messages.includes(token), "the ARM token is in a message");
      for (const part of token.split(".").filter((part) => part.length >= 16)) {
        assert.ok(!messages.includes(part), "part of the ARM token is in a message");
      }
    } finally {
      await page.close();
    }
  });

  test("no ARM token in the share link, the exports or the helper's report", async () => {
    await switchScenario(lab, "healthy", "cmk-deleted");
    const token = await mintArmToken(lab);
    const origin = new URL(helper.url).origin;
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
    const { page } = await openPage(browser.context, withQuery(helper.url, { arm_url: armUrl }));
    try {
      await runChecks(page, lab, { credential: "admin", token });
      await page.waitForSelector("input#share-link", { timeout: RUN_TIMEOUT_MS });
      const rows = await readChecks(page);
      assert.ok(
        rows.some((row) => row.side === "browser" && row.check === "encryption_identity" && row.code === "CMK_ERROR"),
        `the browser's ARM results are in the report: ${JSON.stringify(rows)}`,
      );

      const copy = async (id) => {
        await page.click(`button#${id}`);
        await page.waitForSelector(`#copy-status[data-copied=${id}]`, { timeout: 5_000 });
        return page.evaluate(() => navigator.clipboard.readText());
      };
      const link = await page.inputValue("input#share-link");
      const decoded = await page.evaluate(async (link) => {
        const { load } = await import(new URL("www/acr-health.js", document.baseURI).href);
        return JSON.stringify((await load()).decodeShareLink(link));
      }, link);
      const exports = {
        link,
        "decoded link": decodeURIComponent(link),
        "report in the link": decoded,
        markdown: await copy("copy-markdown"),
        json: await copy("copy-json"),
        text: await copy("copy-text"),
        page: await page.textContent("body"),
      };
      assert.ok(decoded.includes("CMK_ERROR"), "the link carries the ARM results");
      const parts = token.split(".").filter((part) => part.length >= 16);
      assert.ok(parts.length >= 2, "the ARM token is a JWT with long segments to search for");
      for (const [name, text] of Object.entries(exports)) {
        assert.ok(!text.includes(token), `the ARM token is in the ${name}`);
        for (const part of parts) {
          assert.ok(!text.includes(part), `part of the ARM token is in the ${name}`);
        }
      }
    } catch (error) {
      await screenshot(page, "arm-no-token-failed");
      throw error;
    } finally {
      await page.close();
    }
  });
});
