// A team manager records a case supervision of their social worker (back-dated to yesterday,
// with an action due that day), every earlier action still open carried forward; the drift
// report then shows the new action past due, and the child's record shows the supervision.
// Every page passes axe (WCAG 2.2 A/AA). (The form without JavaScript is proved by the HTTP
// test, which posts it as a plain form.) Needs FRONTDOOR_BASE_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, checkAccessibility, screenshot, signIn, londonNow } from "./lib/harness.mjs";

/** The London date a number of days before today, as the forms take it. */
function daysBefore(days) {
  const today = new Date(`${londonNow().date}T12:00:00Z`);
  return new Date(today.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

test("a manager records a supervision whose action drifts, and the child's record shows it", async () => {
  const browser = await launch();
  try {
    const { page } = browser;
    await signIn(page, "manager");

    await page.click("nav a:has-text('Supervision')");
    await page.waitForSelector("h1:has-text('Case supervision')");
    assert.match(await page.textContent("main"), /Sam Patel/, "the demo's supervisions are listed");
    await checkAccessibility(page, "case supervision");

    // The demo's drift report already shows drift.
    await page.click("a:has-text('Drift report')");
    await page.waitForSelector("h1:has-text('Drift report')");
    assert.match(await page.textContent("#drift-total"), /[1-9]\d* drifting/);
    await checkAccessibility(page, "drift report");

    await page.goto(new URL("/supervision", page.url()).href);
    await page.selectOption("#worker", { label: "Sam Patel" });
    await page.click("button:has-text('Record a supervision')");
    await page.waitForSelector("h1:has-text('Record a supervision of Sam Patel')");
    await checkAccessibility(page, "supervision form");

    // Sent with nothing discussed and the earlier actions not reviewed: each is named.
    await page.click("button:has-text('Record the supervision')");
    await page.waitForSelector(".govuk-error-summary");
    const summary = await page.textContent(".govuk-error-summary");
    assert.match(summary, /Choose at least one child discussed/);
    assert.match(summary, /Say whether earlier action 1 is carried forward or closed/);
    await checkAccessibility(page, "supervision form with errors");

    const yesterday = daysBefore(1);
    await page.fill("#held_on", yesterday);
    const mason = page.locator("fieldset:has(legend:has-text('Mason Clarke'))");
    await mason.locator("input[type=checkbox]").check();
    await mason.locator("textarea[name$='risks_reviewed']").fill(
      "Mother's partner still not spoken to; the risk of further physical harm remains high.",
    );
    const carry = page.locator("input[type=radio][value=carry_forward]");
    for (let i = 0; i < (await carry.count()); i++) await carry.nth(i).check();
    await page.selectOption("#actions-0-person_id", { label: "Mason Clarke" });
    await page.fill("#actions-0-description", "Joint police interview of the new partner");
    await page.selectOption("#actions-0-owner", { label: "Sam Patel" });
    await page.fill("#actions-0-due_on", yesterday);
    await page.click("button:has-text('Record the supervision')");
    await page.waitForSelector("h1:has-text('Supervision of Sam Patel')");
    const recorded = await page.textContent("main");
    assert.match(recorded, /The supervision is recorded/);
    assert.match(recorded, /Joint police interview of the new partner/);
    await checkAccessibility(page, "recorded supervision");
    await screenshot(page, "supervision");

    // Its due date has passed: the drift report shows it.
    await page.goto(new URL("/supervision/drift", page.url()).href);
    const row = page.locator("tr:has(a:has-text('Joint police interview of the new partner'))");
    assert.match(await row.textContent(), /Drifting: past due/);
    await screenshot(page, "drift-report");
    await checkAccessibility(page, "drift report with the new action");

    // And the child's record shows the supervision and the drifting action.
    await row.locator("a:has-text('Mason Clarke')").click();
    await page.waitForSelector("h2:has-text('Case supervision')");
    const record = await page.textContent("main");
    assert.match(record, /Mother's partner still not spoken to/);
    assert.match(record, /Joint police interview of the new partner/);
    assert.match(record, /drifting/);
    await checkAccessibility(page, "child's record with supervision");
  } finally {
    await browser.close();
  }
});
