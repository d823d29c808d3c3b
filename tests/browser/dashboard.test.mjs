// The performance dashboard: a team manager reads the figures of the last three months (each
// chart an image with a title and description, a table of the same numbers beside it), follows
// a figure to the children behind it, and the list links each child to their record. Every page
// passes axe (WCAG 2.2 A/AA). Needs FRONTDOOR_BASE_URL (scripts/test.sh starts the demo server
// and sets it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, checkAccessibility, screenshot, signIn } from "./lib/harness.mjs";

test("a manager reads the dashboard and the children behind a figure", async () => {
  const browser = await launch();
  try {
    const { page } = browser;
    await signIn(page, "manager");

    await page.click("nav a:has-text('Dashboard')");
    await page.waitForSelector("h1:has-text('Performance dashboard')");
    const charts = await page.$$eval("svg[role='img']", (svgs) =>
      svgs.map((svg) => ({
        labelledBy: svg.getAttribute("aria-labelledby"),
        title: svg.querySelector("title")?.textContent ?? "",
        desc: svg.querySelector("desc")?.textContent ?? "",
      })),
    );
    assert.equal(charts.length, 5);
    for (const chart of charts) {
      assert.ok(chart.title && chart.desc, `a chart without a title or description: ${JSON.stringify(chart)}`);
    }
    const contacts = Number(
      await page.$eval("#conversion-table tbody tr:first-child td", (cell) => cell.textContent.trim()),
    );
    assert.ok(contacts > 0, "the demo authority received contacts in the last three months");
    await checkAccessibility(page, "dashboard");
    await screenshot(page, "dashboard");

    // The contacts of the period, each child linked to their record.
    await page.click("#conversion-table a:has-text('Contacts')");
    await page.waitForSelector("h1:has-text('Contacts received')");
    const rows = await page.$$eval("#children-table tbody tr", (trs) => trs.length);
    assert.ok(rows >= contacts, `${rows} children behind ${contacts} contacts`);
    const child = await page.$eval("#children-table a[href^='/people/']", (a) => a.getAttribute("href"));
    assert.ok(child);
    await checkAccessibility(page, "children behind a figure");
    await screenshot(page, "dashboard-children");
  } finally {
    await browser.close();
  }
});
