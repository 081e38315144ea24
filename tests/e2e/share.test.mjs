// Share links against the lab: a run's link opens to the same report in a fresh browser, a
// damaged link says why, and no credential reaches the link or the report inside it.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { launchBrowser, openPage, startHelper, withQuery } from "./harness.mjs";
import { exchangeRefreshToken, mintAadToken, mintArmToken, readChecks, startLab, unexpectedProblems } from "./share-support.mjs";

const RUN_TIMEOUT_MS = 90_000;

/**
 * Fills the form for `credential` ({kind, ...}) and, when given, the ARM access token, runs the
 * checks and waits for the link.
 */
async function runWith(page, registry, credential, armToken = "") {
  await page.fill("input#registry", registry);
  await page.selectOption("select#credential-kind", credential.kind);
  if (credential.kind === "password") {
    await page.fill("input#username", credential.username);
    await page.fill("input#password", credential.password);
  } else if (credential.kind === "aad_token") {
    await page.fill("input#token", credential.token);
  } else if (credential.kind === "refresh_token") {
    await page.fill("input#token", credential.token);
  }
  await page.fill("input#arm-token", armToken);
  await page.click("button#run");
  await page.waitForSelector("input#share-link", { timeout: RUN_TIMEOUT_MS });
  return page.inputValue("input#share-link");
}

/** Decodes a share link with the page's own JavaScript API and returns the report as JSON. */
async function decodeInPage(page, link) {
  return page.evaluate(async (link) => {
    const { load } = await import(new URL("www/acr-health.js", document.baseURI).href);
    const api = await load();
    return JSON.stringify(api.decodeShareLink(link));
  }, link);
}

describe("share links", () => {
  let lab;
  let helper;

  before(async () => {
    lab = await startLab();
    helper = await startHelper();
  });

  after(async () => {
    await helper?.stop();
    await lab?.stop();
  });

  test("link opens to the same report in a fresh browser", async (t) => {
    const registry = `http://${lab.login_server}`;
    const first = await launchBrowser("en-US");
    let link;
    let original;
    let summary;
    try {
      const { page, problems } = await openPage(first.context, helper.url);
      link = await runWith(page, registry, { kind: "anonymous" });
      original = await readChecks(page);
      summary = await page.textContent("#summary");
      assert.deepEqual(unexpectedProblems(problems, lab), [], "the run's page loaded without errors");
    } finally {
      await first.close();
    }

    t.diagnostic(`share link of a run with helper results: ${link.length} characters`);
    assert.ok(link.startsWith(`${new URL(helper.url).origin}/#report=`), link);
    assert.ok(!link.includes("pair="), "the pairing secret stays out of the link");
    assert.ok(link.length <= 2000, `the link is ${link.length} characters`);
    assert.ok(original.some((row) => row.side === "machine"), "the helper's results are in the report");

    const second = await launchBrowser("en-US");
    try {
      const { page, problems } = await openPage(second.context, link);
      await page.waitForSelector("#shared-banner", { timeout: 20_000 });

      assert.deepEqual(await readChecks(page), original);
      assert.equal(await page.textContent("#summary"), summary);
      assert.equal(await page.locator("button#run").count(), 0, "a shared report has no run form");
      const rerun = new URL(await page.getAttribute("a#rerun", "href"), link);
      assert.equal(rerun.searchParams.get("registry"), lab.login_server);
      assert.equal(rerun.searchParams.get("autorun"), "1");
      assert.deepEqual(unexpectedProblems(problems, lab), []);
    } finally {
      await second.close();
    }
  });

  test("link pasted into an open page opens its report", async () => {
    const browser = await launchBrowser("en-US");
    try {
      const { page, problems } = await openPage(browser.context, helper.url);
      const link = await runWith(page, `http://${lab.login_server}`, { kind: "anonymous" });
      const original = await readChecks(page);

      // Pasting a link of the same page into the address bar changes only the fragment.
      await page.evaluate((fragment) => {
        window.location.hash = fragment;
      }, new URL(link).hash);
      await page.waitForSelector("#shared-banner", { timeout: 20_000 });

      assert.deepEqual(await readChecks(page), original);
      assert.equal(await page.locator("button#run").count(), 0, "the form gave way to the report");
      assert.deepEqual(unexpectedProblems(problems, lab), []);
    } finally {
      await browser.close();
    }
  });

  test("hide option removes registry and addresses", async () => {
    const browser = await launchBrowser("en-US");
    try {
      const { page } = await openPage(browser.context, helper.url);
      const plain = await runWith(page, `http://${lab.login_server}`, { kind: "anonymous" });
      await page.check("input#share-hide");
      const hidden = await page.inputValue("input#share-link");
      const report = await decodeInPage(page, hidden);

      assert.notEqual(hidden, plain);
      assert.ok(!report.includes("127.0.0.1"), report);
      assert.equal(JSON.parse(report).registry, "registry.hidden");
      assert.ok(JSON.parse(report).results.length > 0);
    } finally {
      await browser.close();
    }
  });

  test("copy buttons export link, Markdown, JSON and text", async () => {
    const browser = await launchBrowser("en-US");
    const origin = new URL(helper.url).origin;
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
    try {
      const { page } = await openPage(browser.context, helper.url);
      const link = await runWith(page, `http://${lab.login_server}`, { kind: "anonymous" });
      const copy = async (id) => {
        await page.click(`button#${id}`);
        await page.waitForSelector(`#copy-status[data-copied=${id}]`, { timeout: 5_000 });
        return page.evaluate(() => navigator.clipboard.readText());
      };

      const copiedLink = await copy("copy-link");
      const markdown = await copy("copy-markdown");
      const json = JSON.parse(await copy("copy-json"));
      const text = await copy("copy-text");

      assert.equal(copiedLink, link);
      assert.ok(markdown.startsWith(`### Registry health check: \`${lab.login_server}\``), markdown);
      assert.match(markdown, /\| Check \| Side \| Status \| Code \| Finding \| Time \|/);
      assert.equal(json.format, 1);
      assert.equal(json.registry, lab.login_server);
      assert.equal(json.results.length, await page.locator("li.check").count());
      assert.ok(text.startsWith(`Registry health check: ${lab.login_server}`), text);
      assert.match(text, / : (OK|FAILED|SKIPPED|WARNING)/);
    } finally {
      await browser.close();
    }
  });

  test("no secret in the link or its report", async () => {
    const aadToken = await mintAadToken(lab);
    const refreshToken = await exchangeRefreshToken(lab, aadToken);
    // Every run also carries an ARM token, sent to the lab's ARM listener by the page and the
    // helper alike.
    const armToken = await mintArmToken(lab);
    const armUrl = (await (await fetch(`${lab.control}/state`)).json()).arm_url;
    const credentials = [
      { kind: "password", username: lab.admin.username, password: lab.admin.password, secrets: [lab.admin.password] },
      {
        kind: "password",
        username: lab.token_user.username,
        password: lab.token_user.password,
        secrets: [lab.token_user.password],
      },
      { kind: "aad_token", token: aadToken, secrets: [aadToken] },
      { kind: "refresh_token", token: refreshToken, secrets: [refreshToken] },
    ];

    const browser = await launchBrowser("en-US");
    try {
      const { page } = await openPage(browser.context, withQuery(helper.url, { arm_url: armUrl }));
      for (const credential of credentials) {
        const link = await runWith(page, `http://${lab.login_server}`, credential, armToken);
        const report = await decodeInPage(page, link);
        const results = JSON.parse(report).results;
        const statuses = results.map((result) => result.status);
        assert.ok(
          results.some((result) => result.check === "arm_registry" && result.status === "pass"),
          `${credential.kind}: the ARM checks ran with the token`,
        );

        for (const secret of [...credential.secrets, armToken]) {
          assert.ok(secret.length >= 8, `the ${credential.kind} secret is long enough to search for`);
          assert.ok(!link.includes(secret), `${credential.kind}: secret in the link`);
          assert.ok(!decodeURIComponent(link).includes(secret), `${credential.kind}: secret in the decoded link`);
          assert.ok(!report.includes(secret), `${credential.kind}: secret in the report`);
          // Parts of a JWT are base64url too; none of its three segments may appear.
          for (const part of secret.split(".").filter((part) => part.length >= 16)) {
            assert.ok(!report.includes(part), `${credential.kind}: part of the token in the report`);
          }
        }
        assert.ok(statuses.includes("pass"), `${credential.kind}: the run passed some checks (${statuses})`);
      }
    } finally {
      await browser.close();
    }
  });

  for (const [locale, lang, expected] of [
    ["en-US", "en", "damaged"],
    ["ko-KR", "ko", "손상"],
  ]) {
    test(`damaged link explains itself in ${lang}`, async () => {
      const browser = await launchBrowser(locale);
      try {
        const { page, problems } = await openPage(browser.context, `${new URL(helper.url).origin}/#report=AQ-not-a-report!`);
        await page.waitForSelector("#share-error", { timeout: 20_000 });

        assert.ok((await page.textContent("#share-error")).includes(expected));
        assert.equal(await page.getAttribute("html", "lang"), lang);
        assert.deepEqual(unexpectedProblems(problems, lab), []);
      } finally {
        await browser.close();
      }
    });
  }

  test("truncated link shows an error", async () => {
    const browser = await launchBrowser("en-US");
    try {
      const { page } = await openPage(browser.context, withQuery(helper.url, {}));
      const link = await runWith(page, `http://${lab.login_server}`, { kind: "anonymous" });
      const cut = link.slice(0, link.length - 40);
      const shown = await openPage(browser.context, cut);
      await shown.page.waitForSelector("#share-error", { timeout: 20_000 });

      assert.match(await shown.page.textContent("#share-error"), /damaged|incomplete/);
      assert.deepEqual(unexpectedProblems(shown.problems, lab), []);
    } finally {
      await browser.close();
    }
  });
});
