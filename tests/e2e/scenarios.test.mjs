// Every lab scenario a browser can observe, run through the built page. The page must show the
// code that the scenario imitates, and keep showing it in Korean.
//
// The TLS scenarios are left to the helper's native tests: a browser reports any certificate
// fault as the same network error, which the reachability case below already covers.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { freePort, launchBrowser, openPage, screenshot, startHelper, startStaticServer, withQuery } from "./harness.mjs";
import { mintAadToken, readChecks, startLab } from "./share-support.mjs";

const RUN_TIMEOUT_MS = 60_000;

/**
 * One case per scenario: the credential the form uses, the browser-side check expected to carry
 * the code, the code, and the per-request timeout in seconds where the scenario stalls.
 * `code: null` means a healthy run, where no browser-side check may fail. `machineCode` is the
 * code the helper's row of the same check must show, where the two sides see differently.
 */
const CASES = [
  { scenario: "healthy", credential: "admin", check: null, code: null },
  { scenario: "anonymous-pull", credential: "anonymous", check: null, code: null },
  { scenario: "firewall-v2", credential: "anonymous", check: "challenge", code: "CONNECTIVITY_FORBIDDEN_ERROR" },
  { scenario: "firewall-exchange", credential: "aad", check: "aad_exchange", code: "CONNECTIVITY_FORBIDDEN_ERROR" },
  { scenario: "challenge-missing", credential: "anonymous", check: "challenge", code: "CONNECTIVITY_CHALLENGE_ERROR" },
  { scenario: "challenge-200", credential: "anonymous", check: "challenge", code: "CONNECTIVITY_CHALLENGE_ERROR" },
  { scenario: "challenge-500", credential: "anonymous", check: "challenge", code: "CONNECTIVITY_CHALLENGE_ERROR" },
  { scenario: "challenge-429", credential: "anonymous", check: "challenge", code: "CONNECTIVITY_TOOMANYREQUESTS_ERROR" },
  { scenario: "challenge-basic-only", credential: "aad", check: "challenge", code: "CONNECTIVITY_AAD_LOGIN_ERROR" },
  { scenario: "bearer-no-realm", credential: "aad", check: "challenge", code: "CONNECTIVITY_AAD_LOGIN_ERROR" },
  { scenario: "bearer-no-service", credential: "aad", check: "challenge", code: "CONNECTIVITY_AAD_LOGIN_ERROR" },
  { scenario: "exchange-401", credential: "aad", check: "aad_exchange", code: "CONNECTIVITY_REFRESH_TOKEN_ERROR" },
  { scenario: "exchange-500", credential: "aad", check: "aad_exchange", code: "CONNECTIVITY_REFRESH_TOKEN_ERROR" },
  { scenario: "exchange-429", credential: "aad", check: "aad_exchange", code: "CONNECTIVITY_TOOMANYREQUESTS_ERROR" },
  { scenario: "token-401", credential: "admin", check: "access_token", code: "CONNECTIVITY_ACCESS_TOKEN_ERROR" },
  { scenario: "token-fewer-actions", credential: "admin", check: "access_token", code: "CONNECTIVITY_ACCESS_TOKEN_ERROR" },
  { scenario: "refresh-token-expired", credential: "aad", check: "access_token", code: "CONNECTIVITY_ACCESS_TOKEN_ERROR" },
  { scenario: "clock-skew", credential: "admin", check: "clock", code: "CLOCK_SKEW_ERROR", skewMinutes: 30 },
  { scenario: "hang", credential: "anonymous", check: "reachability", code: "CONNECTIVITY_NETWORK_ERROR", timeoutSeconds: 2 },
  { scenario: "cors-off", credential: "anonymous", check: "cors", code: "CONNECTIVITY_CORS_ERROR" },
  // A refused or looping redirect target fails the browser's fetch the same way a missing CORS
  // header does, so the page can only hand the data path to the helper, which names the fault.
  { scenario: "storage-refused", credential: "admin", check: "data_path", code: "CONNECTIVITY_CORS_ERROR", machineCode: "CONNECTIVITY_DATA_ENDPOINT_ERROR" },
  { scenario: "storage-403", credential: "admin", check: "data_path", code: "CONNECTIVITY_DATA_ENDPOINT_ERROR" },
  { scenario: "hostile-big-body", credential: "admin", check: "access_token", code: "CONNECTIVITY_ACCESS_TOKEN_ERROR" },
  { scenario: "hostile-big-header", credential: "anonymous", check: "challenge", code: "CONNECTIVITY_CHALLENGE_ERROR" },
  { scenario: "hostile-invalid-utf8", credential: "admin", check: "access_token", code: "CONNECTIVITY_ACCESS_TOKEN_ERROR" },
  { scenario: "hostile-truncated-json", credential: "admin", check: "access_token", code: "CONNECTIVITY_ACCESS_TOKEN_ERROR" },
  { scenario: "hostile-drip", credential: "admin", check: "access_token", code: "CONNECTIVITY_ACCESS_TOKEN_ERROR", timeoutSeconds: 3 },
  { scenario: "hostile-redirect-loop", credential: "admin", check: "data_path", code: "CONNECTIVITY_CORS_ERROR", machineCode: "CONNECTIVITY_DATA_ENDPOINT_ERROR" },
  { scenario: "hostile-token-type", credential: "admin", check: "access_token", code: "CONNECTIVITY_ACCESS_TOKEN_ERROR" },
  { scenario: "hostile-token-shape", credential: "admin", check: "access_token", code: "CONNECTIVITY_ACCESS_TOKEN_ERROR" },
];

/** Switches the running lab to `scenario`; throws with the lab's message if it rejects it. */
async function switchScenario(lab, scenario, skewMinutes = 0) {
  const response = await fetch(`${lab.control}/scenario`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: scenario, latency_ms: 0, skew_minutes: skewMinutes }),
  });
  if (!response.ok) {
    throw new Error(`PUT /scenario ${scenario} returned ${response.status}: ${await response.text()}`);
  }
}

/** Fills the credential part of the form for one case. */
async function fillCredential(page, lab, credential) {
  if (credential === "admin") {
    await page.selectOption("select#credential-kind", "password");
    await page.fill("input#username", lab.admin.username);
    await page.fill("input#password", lab.admin.password);
  } else if (credential === "aad") {
    await page.selectOption("select#credential-kind", "aad_token");
    await page.fill("input#token", await mintAadToken(lab));
  } else {
    await page.selectOption("select#credential-kind", "anonymous");
  }
}

/** Waits until every row of one side (`browser` or `machine`) has a final status. */
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

const HANGUL = /[\uac00-\ud7a3]/;

describe("lab scenarios in the page", () => {
  let lab;
  let helper;
  let pageOnly;
  let browser;

  before(async () => {
    lab = await startLab();
    helper = await startHelper();
    // The browser-only cases use a plain file server and point the helper lookup at a closed
    // port, so that thirty runs stay under the helper's per-client rate limit.
    const server = await startStaticServer("/");
    pageOnly = { url: withQuery(server.url, { helper_port: String(await freePort()) }), close: server.close };
    browser = await launchBrowser("en-US");
  });

  after(async () => {
    await browser?.close();
    await pageOnly?.close();
    await helper?.stop();
    await lab?.stop();
  });

  for (const expected of CASES) {
    test(`${expected.scenario} shows ${expected.code ?? "no failure"}`, async () => {
      await switchScenario(lab, expected.scenario, expected.skewMinutes);
      const url = expected.machineCode ? helper.url : pageOnly.url;
      const { page } = await openPage(browser.context, url);
      try {
        await page.waitForSelector("button#run");
        await page.fill("input#registry", `http://${lab.login_server}`);
        if (expected.timeoutSeconds) {
          await page.fill("input#timeout", String(expected.timeoutSeconds));
        }
        await fillCredential(page, lab, expected.credential);
        await page.click("button#run");
        await waitForSide(page, "browser");

        const browserRows = (await readChecks(page)).filter((row) => row.side === "browser");
        if (expected.code === null) {
          const failed = browserRows.filter((row) => row.status === "fail");
          assert.deepEqual(failed, [], `no browser check may fail in ${expected.scenario}`);
        } else {
          const row = browserRows.find((candidate) => candidate.check === expected.check);
          assert.ok(row, `a browser row for ${expected.check}; rows: ${JSON.stringify(browserRows)}`);
          assert.equal(row.code, expected.code, `code of ${expected.check}; rows: ${JSON.stringify(browserRows)}`);
        }
        if (expected.machineCode) {
          await waitForSide(page, "machine");
          const machineRows = (await readChecks(page)).filter((row) => row.side === "machine");
          const row = machineRows.find((candidate) => candidate.check === expected.check);
          assert.equal(row?.code, expected.machineCode, `helper's ${expected.check}; rows: ${JSON.stringify(machineRows)}`);
        }

        // The same report in Korean: codes unchanged, the explanation rewritten in Korean.
        await page.selectOption("select#lang", "ko");
        await page.waitForFunction(() => document.documentElement.lang === "ko");
        const koreanRows = (await readChecks(page)).filter((row) => row.side === "browser");
        assert.deepEqual(koreanRows, browserRows, "switching the language keeps every status and code");
        const summary = await page.textContent("#summary");
        assert.match(summary ?? "", HANGUL, "the summary is in Korean");
        if (expected.code !== null) {
          const rowText = await page.textContent(
            `li.check[data-side="browser"][data-check="${expected.check}"]`,
          );
          assert.match(rowText ?? "", new RegExp(expected.code), "the Korean row still shows the code");
          assert.match(rowText ?? "", HANGUL, "the Korean row is in Korean");
        }
      } catch (error) {
        await screenshot(page, `scenario-${expected.scenario}-failed`);
        throw error;
      } finally {
        await page.close();
      }
    });
  }
});
