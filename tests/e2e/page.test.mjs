// The built page, served by the helper, renders its shell in English and Korean.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import {
  TITLES,
  freePort,
  launchBrowser,
  openPage,
  readShell,
  screenshot,
  startHelper,
  startStaticServer,
  withQuery,
} from "./harness.mjs";

describe("page served by the helper", () => {
  let helper;
  // The helper listens on a free port, not the default 8765, so `helper_port` gives the page
  // that port.
  let pageUrl;

  before(async () => {
    helper = await startHelper();
    pageUrl = withQuery(helper.url, { helper_port: String(helper.port) });
  });

  after(async () => {
    await helper?.stop();
  });

  for (const [locale, lang] of [
    ["en-US", "en"],
    ["ko-KR", "ko"],
  ]) {
    test(`renders in ${lang} for browser locale ${locale}`, async () => {
      const browser = await launchBrowser(locale);
      try {
        // The URL the helper printed, pairing fragment included.
        const { page, problems } = await openPage(browser.context, pageUrl);
        const shell = await readShell(page);
        const file = await screenshot(page, `page-${lang}`);

        assert.equal(shell.title, TITLES[lang]);
        assert.equal(shell.htmlLang, lang);
        assert.equal(shell.languageChoice, lang);
        assert.deepEqual(shell.languageOptions.toSorted(), ["en", "ko"]);
        assert.ok(shell.hasRegistryInput, "input#registry is present");
        assert.ok(shell.hasResults, "section#results is present");
        assert.deepEqual(problems, [], `the page loaded without errors (screenshot: ${file})`);
      } finally {
        await browser.close();
      }
    });
  }

  test("lang query overrides the browser locale", async () => {
    const browser = await launchBrowser("en-US");
    try {
      const { page, problems } = await openPage(browser.context, withQuery(pageUrl, { lang: "ko" }));
      const shell = await readShell(page);

      assert.equal(shell.title, TITLES.ko);
      assert.equal(shell.htmlLang, "ko");
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  });

  test("language switch re-renders the page", async () => {
    const browser = await launchBrowser("en-US");
    try {
      const { page, problems } = await openPage(browser.context, pageUrl);
      assert.equal((await readShell(page)).title, TITLES.en);

      await page.selectOption("select#lang", "ko");
      await page.waitForFunction((title) => document.querySelector("h1")?.textContent?.trim() === title, TITLES.ko);
      const shell = await readShell(page);
      await screenshot(page, "page-switched-to-ko");

      assert.equal(shell.title, TITLES.ko);
      assert.equal(shell.htmlLang, "ko");
      assert.equal(shell.languageChoice, "ko");
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  });
});

describe("page served as static files", () => {
  test("works from a sub-path", async () => {
    const server = await startStaticServer("/tools/acr-health/");
    const browser = await launchBrowser("en-US");
    // No helper runs here: point the page's helper probe at a port where nothing listens.
    const absentHelperPort = await freePort();
    try {
      const { page, problems } = await openPage(browser.context, withQuery(server.url, { helper_port: String(absentHelperPort) }), {
        expectedRefusal: `http://127.0.0.1:${absentHelperPort}/api/v1/capabilities`,
      });
      const shell = await readShell(page);
      await screenshot(page, "page-sub-path");

      assert.equal(shell.title, TITLES.en);
      assert.equal(shell.htmlLang, "en");
      assert.deepEqual(problems, [], "every asset loaded from the sub-path");
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
