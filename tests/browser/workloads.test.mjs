// Workloads: a team manager sees each worker's caseload weighted by stage, the newly qualified
// worker over their protected caseload with the reason the manager gave, and is refused when
// allocating one more child to her without a reason. Every page passes axe (WCAG 2.2 A/AA).
// Needs FRONTDOOR_BASE_URL (scripts/test.sh starts the demo server and sets it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, checkAccessibility, screenshot, signIn } from "./lib/harness.mjs";

test("a manager sees workloads and an ASYE worker's protected caseload holds at allocation", async () => {
  const browser = await launch();
  try {
    const { page } = browser;
    await signIn(page, "manager");

    await page.click("nav a:has-text('Workloads')");
    await page.waitForSelector("h1:has-text('Workloads')");
    const workloads = await page.textContent("main");
    assert.match(workloads, /Nadia Hussain\s*ASYE/);
    assert.match(workloads, /Over protected caseload/);
    assert.match(workloads, /knows this family from her final placement/);
    assert.match(workloads, /Sam Patel/);
    await checkAccessibility(page, "workloads");
    await screenshot(page, "workloads");

    // A child already held by someone else, allocated to her without a reason: refused.
    await page.goto(new URL("/work-due?scope=all", page.url()).href);
    const episode = await page.$$eval("main tbody tr", (rows) =>
      rows
        .filter((row) => !row.textContent.includes("Nadia Hussain"))
        .map((row) => row.querySelector("a[href^='/episodes/']"))
        .find((link) => link)?.getAttribute("href"),
    );
    assert.ok(episode, "work due lists an episode someone else holds");
    await page.goto(new URL(episode, page.url()).href);
    await page.waitForSelector("h2:has-text('Strategy discussions')");
    const label = await page.$eval("#worker", (select) =>
      [...select.options].map((o) => o.label).find((l) => l.startsWith("Nadia Hussain")),
    );
    assert.match(label, /ASYE: protected 12\.0/);
    await page.selectOption("#worker", { label });
    await page.click("button:has-text('Allocate')");
    await page.waitForSelector(".govuk-error-summary");
    const summary = await page.textContent(".govuk-error-summary");
    assert.match(summary, /Nadia Hussain is in their ASYE year/);
    assert.match(summary, /team manager can agree/);
    await checkAccessibility(page, "allocation refused beyond a protected caseload");
  } finally {
    await browser.close();
  }
});
