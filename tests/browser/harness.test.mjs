// Self-test of the browser harness: it must pass an accessible page, fail a page with a
// violation (naming the rule and the element), and fail when axe runs no rule at all.
import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { after, before, describe, test } from "node:test";

import { checkAccessibility, collectPageErrors, launch, screenshot } from "./lib/harness.mjs";
import { serve } from "./lib/static-server.mjs";

// The same strict policy the server sends: no inline script, so axe injection must cope.
const STRICT_CSP = {
  "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'",
};

function page(title, main) {
  return `<!DOCTYPE html>
<html lang="en-GB">
  <head><meta charset="utf-8"><title>${title}</title>
  <style>body { font-family: sans-serif; margin: 2rem; } </style></head>
  <body>
    <header><p>Harness self-test</p></header>
    <main id="main-content">
      <h1>${title}</h1>
      ${main}
    </main>
  </body>
</html>`;
}

const SQUARE_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
const PIXEL = "/square.svg";

describe("browser harness", () => {
  let server;
  let browser;

  before(async () => {
    server = await serve({
      "/square.svg": { headers: { "content-type": "image/svg+xml" }, body: SQUARE_SVG },
      "/favicon.ico": { status: 204, body: "" },
      "/accessible": {
        headers: STRICT_CSP,
        body: page(
          "An accessible page",
          `<p>Every image has a text alternative.</p>
           <img src="${PIXEL}" alt="A blank square" width="10" height="10">
           <form action="/" method="get">
             <label for="name">Child's name</label>
             <input id="name" name="name" type="text" autocomplete="off">
             <button type="submit">Search</button>
           </form>`,
        ),
      },
      "/violation": {
        headers: STRICT_CSP,
        body: page(
          "A page with a violation",
          `<p>This image has no text alternative.</p>
           <img id="no-alt" src="${PIXEL}" width="10" height="10">`,
        ),
      },
    });
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("passes an accessible page", async () => {
    const errors = collectPageErrors(browser.page);
    await browser.page.goto(`${server.url}/accessible`);
    const result = await checkAccessibility(browser.page, "accessible page");
    assert.equal(result.violations, 0);
    assert.ok(result.passes > 0, "some rules should pass");
    assert.deepEqual(errors, []);
    const file = await screenshot(browser.page, "harness-self-test accessible");
    assert.ok((await stat(file)).size > 0, `screenshot written to ${file}`);
  });

  test("fails a page with an image without alt text, naming rule and element", async () => {
    await browser.page.goto(`${server.url}/violation`);
    await assert.rejects(checkAccessibility(browser.page, "violation page"), (error) => {
      assert.match(error.message, /^violation page: 1 accessibility violation\(s\)/);
      assert.match(error.message, /- image-alt \[critical\] Images must have alternative text/);
      assert.match(error.message, /at #no-alt/);
      return true;
    });
  });

  test("an allowance excuses only its rule on matching elements", async () => {
    await browser.page.goto(`${server.url}/violation`);
    const wrongSelector = { rule: "image-alt", selector: ".elsewhere", reason: "test" };
    await assert.rejects(
      checkAccessibility(browser.page, "wrong selector", { allow: [wrongSelector] }),
      /image-alt/,
    );
    const wrongRule = { rule: "link-name", selector: "#no-alt", reason: "test" };
    await assert.rejects(
      checkAccessibility(browser.page, "wrong rule", { allow: [wrongRule] }),
      /image-alt/,
    );
    const exact = { rule: "image-alt", selector: "#no-alt", reason: "test" };
    const result = await checkAccessibility(browser.page, "allowed", { allow: [exact] });
    assert.equal(result.allowed, 1);
  });

  test("fails when no rule runs (unknown tag)", async () => {
    await browser.page.goto(`${server.url}/accessible`);
    await assert.rejects(
      checkAccessibility(browser.page, "unknown tag", { tags: ["wcag99zz"] }),
      /unknown tag runs nothing/,
    );
  });
});
