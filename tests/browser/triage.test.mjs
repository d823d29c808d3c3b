// A MASH triage meeting recorded by a social worker: the meeting form, a validation error, the
// recorded meeting, and the rating on the contact. Every page passes axe (WCAG 2.2 A/AA). (The
// form without JavaScript is proved by the HTTP test, which posts it as a plain form.)
// Needs FRONTDOOR_BASE_URL (scripts/test.sh starts the demo server and sets it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, baseUrl, checkAccessibility, screenshot, signIn } from "./lib/harness.mjs";

test("a triage meeting rates a waiting contact", async () => {
  const browser = await launch();
  try {
    const { page } = browser;
    await signIn(page, "social.worker");

    await page.click("nav a:has-text('MASH triage')");
    await page.waitForSelector("h1:has-text('MASH triage meetings')");
    await checkAccessibility(page, "triage meetings");
    await page.click("a:has-text('Record a triage meeting')");
    await page.waitForSelector("h1:has-text('Record a triage meeting')");
    await checkAccessibility(page, "triage meeting form");

    // Sent with only one agency and nothing rated: both problems are shown.
    await page.click("button:has-text('Record the meeting')");
    await page.waitForSelector(".govuk-error-summary");
    const summary = await page.textContent(".govuk-error-summary");
    assert.match(summary, /Add at least two people/);
    assert.match(summary, /Choose at least one contact/);
    await checkAccessibility(page, "triage meeting form with errors");

    await page.fill("#attendees-1-name", "DS Jo Khan");
    await page.selectOption("#attendees-1-agency", "police");
    await page.fill("#attendees-1-role", "MASH police");
    const reference = (await page.textContent("#discussed-0-contact_id legend >> nth=0")).split(":")[0].trim();
    await page.check("#discussed-0-rating-red");
    await page.fill("#discussed-0-next_step", "Strategy discussion this afternoon with police and health.");
    await page.click("button:has-text('Record the meeting')");
    await page.waitForSelector("h1");
    const meeting = await page.textContent("main");
    assert.match(meeting, /The meeting is recorded/);
    assert.match(meeting, /Strategy discussion this afternoon with police and health\./);
    assert.match(meeting, /DS Jo Khan/);
    await checkAccessibility(page, "recorded triage meeting");
    await screenshot(page, "triage-meeting");

    await page.click(`main a:has-text('${reference}')`);
    await page.waitForSelector("h2:has-text('MASH triage')");
    assert.match(await page.textContent("main"), /Red/);
    await checkAccessibility(page, "contact with its triage rating");
  } finally {
    await browser.close();
  }
});
