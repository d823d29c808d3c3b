// The built assets (scripts/build-assets.sh -> crates/web/assets-build/) work in Chromium
// under a strict CSP: the stylesheet applies the system font stack, every file it refers to
// is served, init.js starts GOV.UK and MOJ Frontend components, and a page built from
// Design System components passes the accessibility check.
//
// Served with the same URL layout as the Rust server:
//   /assets/frontdoor.css -> frontdoor.css
//   /assets/js/NAME       -> NAME (govuk-frontend.min.js, moj-frontend.min.js, init.js)
//   /assets/PATH          -> assets/PATH
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

import {
  GOVUK_ACCORDION_LABEL_IN_NAME,
  checkAccessibility,
  collectPageErrors,
  launch,
  screenshot,
} from "./lib/harness.mjs";
import { serve } from "./lib/static-server.mjs";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const buildDir = path.join(repoRoot, "crates/web/assets-build");
const built = existsSync(path.join(buildDir, "frontdoor.css"));

const CONTENT_TYPES = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

async function assetRoute(pathname) {
  let file;
  if (pathname === "/assets/frontdoor.css") file = "frontdoor.css";
  else if (pathname.startsWith("/assets/js/")) file = pathname.slice("/assets/js/".length);
  else if (pathname.startsWith("/assets/")) file = path.join("assets", pathname.slice("/assets/".length));
  else return null;
  const full = path.resolve(buildDir, file);
  if (!full.startsWith(buildDir + path.sep) || !existsSync(full)) return null;
  return {
    headers: { "content-type": CONTENT_TYPES[path.extname(full)] ?? "application/octet-stream" },
    body: await readFile(full),
  };
}

const CSP = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
};

const QUEUE_PAGE = `<!DOCTYPE html>
<html lang="en-GB" class="govuk-template">
<head>
  <meta charset="utf-8">
  <title>Contacts awaiting a decision – Front door – Example Borough Council</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/assets/frontdoor.css">
  <script type="module" src="/assets/js/init.js"></script>
</head>
<body class="govuk-template__body">
  <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
  <header class="govuk-generic-header">
    <div class="govuk-generic-header__container govuk-width-container">
      <div class="govuk-generic-header__logo">
        <a href="/" class="govuk-generic-header__homepage-link">Example Borough Council</a>
      </div>
    </div>
  </header>
  <section aria-label="Service information" class="govuk-service-navigation" data-module="govuk-service-navigation">
    <div class="govuk-width-container">
      <div class="govuk-service-navigation__container">
        <span class="govuk-service-navigation__service-name">
          <a href="/" class="govuk-service-navigation__link">Front door</a>
        </span>
        <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
          <button type="button" class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle" aria-controls="navigation" hidden>Menu</button>
          <ul class="govuk-service-navigation__list" id="navigation">
            <li class="govuk-service-navigation__item govuk-service-navigation__item--active">
              <a class="govuk-service-navigation__link" href="/queue" aria-current="page"><strong class="govuk-service-navigation__active-fallback">Queue</strong></a>
            </li>
            <li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/search">Search</a></li>
          </ul>
        </nav>
      </div>
    </div>
  </section>
  <div class="govuk-width-container">
    <main class="govuk-main-wrapper" id="main-content">
      <h1 class="govuk-heading-l">Contacts awaiting a decision</h1>
      <table class="govuk-table" data-module="moj-sortable-table">
        <caption class="govuk-table__caption govuk-table__caption--m">Decision due within one working day</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header" aria-sort="ascending">Reference</th>
            <th scope="col" class="govuk-table__header" aria-sort="none">Received</th>
            <th scope="col" class="govuk-table__header">Status</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          <tr class="govuk-table__row fd-queue__row--breach">
            <td class="govuk-table__cell fd-nowrap">CT-000123</td>
            <td class="govuk-table__cell fd-nowrap">3 March 2025</td>
            <td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--red">Overdue</strong></td>
          </tr>
          <tr class="govuk-table__row">
            <td class="govuk-table__cell fd-nowrap">CT-000124</td>
            <td class="govuk-table__cell fd-nowrap">4 March 2025</td>
            <td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--blue">Due today</strong></td>
          </tr>
        </tbody>
      </table>
      <div class="govuk-accordion" data-module="govuk-accordion" id="accordion-guidance">
        <div class="govuk-accordion__section">
          <div class="govuk-accordion__section-header">
            <h2 class="govuk-accordion__section-heading">
              <span class="govuk-accordion__section-button" id="accordion-guidance-heading-1">Timescales</span>
            </h2>
          </div>
          <div id="accordion-guidance-content-1" class="govuk-accordion__section-content">
            <p class="govuk-body">A decision on a contact is due within one working day.</p>
          </div>
        </div>
      </div>
      <button type="submit" class="govuk-button" data-module="govuk-button">Record a decision</button>
    </main>
  </div>
  <footer class="govuk-footer">
    <div class="govuk-width-container">
      <div class="govuk-footer__meta">
        <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
          <p class="govuk-body-s">Example Borough Council</p>
        </div>
      </div>
    </div>
  </footer>
</body>
</html>`;

describe("built web assets", { skip: built ? false : "crates/web/assets-build missing: run scripts/build-assets.sh" }, () => {
  let server;
  let browser;

  before(async () => {
    server = await serve(
      {
        "/queue": { headers: CSP, body: QUEUE_PAGE },
        "/favicon.ico": { status: 204, body: "" },
      },
      assetRoute,
    );
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a Design System page loads its styles and scripts without errors and passes axe", async () => {
    const { page } = browser;
    const errors = collectPageErrors(page);
    await page.goto(`${server.url}/queue`, { waitUntil: "networkidle" });
    // init.js ran: GOV.UK Frontend and MOJ Frontend components are initialised.
    await page.waitForSelector("[data-module=govuk-accordion][data-govuk-accordion-init]");
    await page.waitForSelector("[data-module=moj-sortable-table][data-moj-sortable-table-init]");
    assert.equal(await page.evaluate(() => document.body.classList.contains("govuk-frontend-supported")), true);

    const fontFamily = await page.evaluate(() => getComputedStyle(document.querySelector("h1")).fontFamily);
    assert.match(fontFamily, /^system-ui, -apple-system, "Segoe UI", Roboto/);
    assert.doesNotMatch(fontFamily, /GDS Transport/);

    // The overdue row's first cell carries the red bar.
    const shadow = await page.evaluate(
      () => getComputedStyle(document.querySelector(".fd-queue__row--breach > td")).boxShadow,
    );
    assert.match(shadow, /inset/);

    const a11y = await checkAccessibility(page, "queue page (built assets)", {
      allow: [GOVUK_ACCORDION_LABEL_IN_NAME],
    });
    // When GOV.UK Frontend or axe-core fixes it, this fails: drop the allowance then.
    assert.equal(a11y.allowed, 1, "the accordion false positive is still reported");
    await screenshot(page, "assets-queue");
    assert.deepEqual(errors, []);
  });

  test("every url() in frontdoor.css is served", async () => {
    const css = await readFile(path.join(buildDir, "frontdoor.css"), "utf8");
    const urls = [...new Set([...css.matchAll(/url\(["']?([^"')]+)["']?\)/g)].map((m) => m[1]))];
    assert.ok(urls.length > 0);
    for (const url of urls) {
      assert.match(url, /^\/assets\//, `${url} should be under /assets/`);
      const response = await fetch(`${server.url}${url}`);
      assert.equal(response.status, 200, `${url} should be served`);
    }
  });
});
