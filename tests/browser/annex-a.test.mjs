// The quality assurance officer produces Ofsted's Annex A for an inspection date: a wrong date
// is shown beside the field; a good one gives each list's row count, the workbook and each
// list's CSV to download (both answer with the right type and file name). Every page passes axe
// (WCAG 2.2 A/AA). Needs FRONTDOOR_BASE_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, checkAccessibility, screenshot, signIn } from "./lib/harness.mjs";

test("the QA officer counts the Annex A lists for a date and downloads the workbook and a CSV", async () => {
  const browser = await launch();
  try {
    const { page } = browser;
    await signIn(page, "qa");

    await page.click("nav a:has-text('Returns')");
    await page.waitForSelector("h1:has-text('Statutory returns')");
    await page.click("a:has-text('Ofsted Annex A')");
    await page.waitForSelector("h1:has-text('Ofsted Annex A')");
    await checkAccessibility(page, "annex a form");

    await page.fill("#date", "31/03/2026");
    await page.click("button:has-text('Count the lists')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent("#date-error"), /for example/);
    await checkAccessibility(page, "annex a date refused");

    const today = new Date().toISOString().slice(0, 10);
    await page.fill("#date", today);
    await page.click("button:has-text('Count the lists')");
    await page.waitForSelector("#annex-a-lists");
    const rows = await page.locator("#annex-a-lists tbody tr").count();
    assert.equal(rows, 7, "lists 1 to 7");
    const contacts = Number((await page.locator("#annex-a-lists tbody tr").first().locator("td").nth(1).textContent()).trim());
    assert.ok(contacts > 0, "the demo's contacts are in list 1");
    await checkAccessibility(page, "annex a counted");
    await screenshot(page, "annex-a");

    const workbook = await page.getAttribute("#annex-a-workbook", "href");
    const xlsx = await page.request.get(new URL(workbook, page.url()).href);
    assert.equal(xlsx.status(), 200);
    assert.equal(xlsx.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert.match(xlsx.headers()["content-disposition"], new RegExp(`annex-a-${today}\\.xlsx`));
    const bytes = await xlsx.body();
    assert.equal(bytes.subarray(0, 2).toString(), "PK", "an xlsx file is a zip archive");

    const csvHref = await page.getAttribute("#annex-a-lists tbody tr:first-child a", "href");
    const csv = await page.request.get(new URL(csvHref, page.url()).href);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()["content-type"], /text\/csv/);
    assert.match(csv.headers()["content-disposition"], new RegExp(`annex-a-${today}-list-1\\.csv`));
    const text = await csv.text();
    assert.ok(text.startsWith("Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Date of Contact,Contact Source"));
    assert.equal(text.trim().split("\r\n").length, contacts + 1, "a line a contact row, and the headings");
  } finally {
    await browser.close();
  }
});
