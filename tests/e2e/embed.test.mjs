// Embedding from another loopback origin. The example pages receive the report by postMessage,
// from the custom element and through the JavaScript API. Without `embedder=` nothing is
// posted, and values the page cannot use show a note.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { config, launchBrowser, openPage, startStaticServer } from "./harness.mjs";
import { readChecks, startFileServer, startLab, unexpectedProblems } from "./share-support.mjs";

const RUN_TIMEOUT_MS = 90_000;

describe("embedding from another origin", () => {
  let lab;
  let pageHost;
  let portal;
  let registry;

  before(async () => {
    lab = await startLab();
    registry = `http://${lab.login_server}`;
    // The page's host allows portals to import its module; the portal is another port.
    pageHost = await startFileServer(config.dist, { cors: true });
    portal = await startFileServer(path.join(config.dist, "www", "examples"));
  });

  after(async () => {
    await portal?.close();
    await pageHost?.close();
    await lab?.stop();
  });

  function example(name, params = {}) {
    const url = new URL(`${portal.origin}/${name}`);
    url.searchParams.set("page", `${pageHost.origin}/`);
    for (const [key, value] of Object.entries(params)) {
      url.searchParams.set(key, value);
    }
    return url.href;
  }

  test("iframe example receives progress and report", async () => {
    assert.notEqual(portal.origin, pageHost.origin);
    const browser = await launchBrowser("en-US");
    try {
      const { page, problems } = await openPage(browser.context, example("iframe.html", { registry }));
      await page.waitForSelector("#link", { timeout: RUN_TIMEOUT_MS });
      const report = JSON.parse(await page.textContent("#report"));
      const progress = await page.locator("#messages li[data-type=progress]").count();
      const frame = page.frameLocator("iframe#acr-health");
      const rows = await frame.locator("li.check").count();

      assert.equal(report.registry, lab.login_server);
      assert.equal(report.format, 1);
      assert.ok(report.results.length > 0);
      assert.equal(report.results.length, rows, "the report has one result per row of the framed page");
      assert.equal(progress, report.results.length, "one progress message per result");
      assert.equal(await page.locator("#messages li[data-type=report]").count(), 1);
      assert.ok((await page.getAttribute("#link", "href")).startsWith(`${pageHost.origin}/index.html#report=`));
      assert.deepEqual(unexpectedProblems(problems, lab), []);
    } finally {
      await browser.close();
    }
  });

  test("iframe example works with the page on a sub-path", async () => {
    const subPath = await startStaticServer("/tools/acr-health/");
    const browser = await launchBrowser("en-US");
    try {
      const url = new URL(`${portal.origin}/iframe.html`);
      url.searchParams.set("page", subPath.url);
      url.searchParams.set("registry", registry);
      const { page, problems } = await openPage(browser.context, url.href);
      await page.waitForSelector("#link", { timeout: RUN_TIMEOUT_MS });
      const link = await page.getAttribute("#link", "href");

      assert.equal(JSON.parse(await page.textContent("#report")).registry, lab.login_server);
      assert.ok(link.startsWith(`${subPath.url}index.html#report=`), link);
      assert.deepEqual(unexpectedProblems(problems, lab), []);
    } finally {
      await browser.close();
      await subPath.close();
    }
  });

  test("nothing posted without embedder", async () => {
    const browser = await launchBrowser("en-US");
    try {
      const { page } = await openPage(browser.context, `${portal.origin}/index.html`);
      const received = await page.evaluate(
        async ({ pageOrigin, registry }) => {
          window.received = [];
          window.addEventListener("message", (event) => window.received.push(event.data));
          const frames = [
            `${pageOrigin}/index.html?autorun=1&registry=${encodeURIComponent(registry)}`,
            // An embedder that is not this page: the browser drops what is posted to it.
            `${pageOrigin}/index.html?autorun=1&embedder=http://127.0.0.1:9&registry=${encodeURIComponent(registry)}`,
          ].map((src) => {
            const frame = document.createElement("iframe");
            frame.src = src;
            document.body.append(frame);
            return frame;
          });
          return { count: frames.length };
        },
        { pageOrigin: pageHost.origin, registry },
      );
      assert.equal(received.count, 2);

      // Wait until both framed pages have finished their runs.
      for (const frame of page.frames().slice(1)) {
        await frame.waitForSelector("#summary.pass, #summary.fail, #summary.warning", { timeout: RUN_TIMEOUT_MS });
        await frame.waitForSelector("input#share-link", { timeout: RUN_TIMEOUT_MS });
      }
      // Give any message posted at the end of the run time to arrive.
      const messages = await page.evaluate(() => new Promise((resolve) => setTimeout(() => resolve(window.received), 500)));

      assert.deepEqual(messages, []);
    } finally {
      await browser.close();
    }
  });

  test("custom element fires report event", async () => {
    const browser = await launchBrowser("en-US");
    try {
      const { page, problems } = await openPage(browser.context, example("element.html", { registry }));
      await page.waitForFunction(() => document.getElementById("report").textContent.length > 0, null, {
        timeout: RUN_TIMEOUT_MS,
      });
      const report = JSON.parse(await page.textContent("#report"));

      assert.equal(report.registry, lab.login_server);
      assert.match(await page.textContent("#status"), /^Report received after \d+ progress events\.$/);
      assert.deepEqual(unexpectedProblems(problems, lab), []);
    } finally {
      await browser.close();
    }
  });

  test("JS API runs, links, decodes and renders", async () => {
    const browser = await launchBrowser("en-US");
    try {
      const { page, problems } = await openPage(browser.context, example("api.html", { registry }));
      await page.waitForSelector("#status[data-registry]", { timeout: RUN_TIMEOUT_MS });
      const report = JSON.parse(await page.textContent("#report"));
      const rendered = await readChecks(page);

      assert.equal(await page.getAttribute("#status", "data-registry"), lab.login_server);
      assert.equal(report.registry, lab.login_server);
      assert.equal(rendered.length, report.results.length);
      assert.deepEqual(
        rendered.map((row) => [row.check, row.status]),
        report.results.map((result) => [result.check, result.status]),
      );
      assert.ok(rendered.every((row) => row.side === "browser"));
      assert.equal(await page.locator("#progress li").count(), report.results.length);
      assert.equal(await page.locator("#acr-health, h1 + .acr-health").count(), 0, "the API did not mount the page");
      assert.deepEqual(unexpectedProblems(problems, lab), []);
    } finally {
      await browser.close();
    }
  });

  test("framed page runs under the documented CSP", async () => {
    // The policy documented for the page, with the hash of index.html's inline module script.
    const index = await readFile(path.join(config.dist, "index.html"), "utf8");
    const inline = index.match(/<script type="module">([\s\S]*?)<\/script>/)[1];
    const hash = createHash("sha256").update(inline).digest("base64");
    const policy = [
      "default-src 'self'",
      `script-src 'self' 'wasm-unsafe-eval' 'sha256-${hash}'`,
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
      `frame-ancestors ${portal.origin}`,
    ].join("; ");
    const strictHost = await startFileServer(config.dist, { headers: { "content-security-policy": policy } });
    const browser = await launchBrowser("en-US");
    try {
      const violations = [];
      browser.context.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) {
          violations.push(message.text());
        }
      });
      const url = new URL(`${portal.origin}/iframe.html`);
      url.searchParams.set("page", `${strictHost.origin}/`);
      url.searchParams.set("registry", registry);
      const { page, problems } = await openPage(browser.context, url.href);
      await page.waitForSelector("#link", { timeout: RUN_TIMEOUT_MS });
      const report = JSON.parse(await page.textContent("#report"));

      assert.equal(report.registry, lab.login_server);
      assert.deepEqual(violations, []);
      assert.deepEqual(unexpectedProblems(problems, lab), []);
    } finally {
      await browser.close();
      await strictHost.close();
    }
  });

  test("invalid parameters show notes", async () => {
    const browser = await launchBrowser("en-US");
    try {
      const url = `${pageHost.origin}/index.html?cloud=Mars&autorun=maybe&embedder=javascript:alert(1)&theme=neon`;
      const { page, problems } = await openPage(browser.context, url);
      await page.waitForSelector("h1", { timeout: 20_000 });
      const notes = await page.$$eval(".notice", (items) => items.map((item) => item.textContent));

      for (const value of ["Mars", "maybe", "javascript:alert(1)", "neon"]) {
        assert.ok(
          notes.some((note) => note.includes(value)),
          `a note names ${value}: ${JSON.stringify(notes)}`,
        );
      }
      assert.equal(await page.inputValue("input#registry"), "");
      assert.deepEqual(unexpectedProblems(problems, lab), []);
    } finally {
      await browser.close();
    }
  });
});
