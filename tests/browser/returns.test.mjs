// The quality assurance officer checks the DfE Children in Need census of the latest complete
// year: no errors, the queries listed by rule with why this system raises them and child by
// child (each child a link to their record), and the XML to download. A social worker has no
// returns page. Every page passes axe (WCAG 2.2 A/AA). Needs FRONTDOOR_BASE_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, checkAccessibility, screenshot, signIn } from "./lib/harness.mjs";

test("the QA officer checks the Children in Need census, downloads it and opens a child", async () => {
  const browser = await launch();
  try {
    const { page } = browser;
    await signIn(page, "qa");

    await page.click("nav a:has-text('Returns')");
    await page.waitForSelector("h1:has-text('Statutory returns')");
    await checkAccessibility(page, "statutory returns");

    await page.click("button:has-text('Check the census')");
    await page.waitForSelector("h1:has-text('Children in Need census')");
    assert.equal((await page.textContent("#census-errors")).trim(), "0 errors");
    assert.match(await page.textContent("#census-queries"), /\d+ quer/);
    assert.ok(Number((await page.textContent("#census-children")).trim()) > 0, "children in the census");
    const rules = await page.textContent("#census-rules");
    assert.match(rules, /8770Q/, "the query about school-age children without a UPN is listed");
    assert.match(rules, /does not record why a UPN is unknown/, "and explained");
    assert.doesNotMatch(rules, /8897Q/, "every completed assessment has its factors");
    await checkAccessibility(page, "census checks");
    await screenshot(page, "cin-census");

    // The XML, downloaded with the worker's session.
    const href = await page.getAttribute("a:has-text('Download the census XML')", "href");
    const response = await page.request.get(new URL(href, page.url()).href);
    assert.equal(response.status(), 200);
    assert.match(response.headers()["content-type"], /application\/xml/);
    assert.match(response.headers()["content-disposition"], /cin-census-\d{4}\.xml/);
    const xml = await response.text();
    assert.match(xml, /<Message>/);
    assert.match(xml, /<Collection>CIN<\/Collection>/);

    // A child named by a query opens on their record.
    const first = page.locator("#census-query-list a").first();
    const childId = (await first.textContent()).trim();
    await first.click();
    await page.waitForSelector("h1");
    assert.match(await page.textContent("main"), new RegExp(childId));
    await checkAccessibility(page, "child from the census");
  } finally {
    await browser.close();
  }
});

test("a social worker has no returns page", async () => {
  const browser = await launch();
  try {
    const { page } = browser;
    await signIn(page, "social.worker");
    assert.equal(await page.locator("nav a:has-text('Returns')").count(), 0);
    const response = await page.goto(new URL("/returns/cin-census", page.url()).href);
    assert.equal(response.status(), 403);
    await checkAccessibility(page, "returns refused");
  } finally {
    await browser.close();
  }
});
