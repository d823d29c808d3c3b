// Domestic abuse risk in Debian's Chromium against `frontdoor demo`: a contact about domestic
// abuse prompts the DASH checklist; a social worker completes it at high risk (15 "yes"); the
// child then needs a safety plan, and a written agreement signed off by a manager does not meet
// it. Every page on the way passes axe (WCAG 2.2 A/AA).
// Needs FRONTDOOR_BASE_URL (scripts/test.sh starts the demo server and sets it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { as, baseUrl, checkAccessibility, linkedContact, londonNow } from "./lib/harness.mjs";

test("a high-risk DASH requires a safety plan that a written agreement does not satisfy", async () => {
  const { id } = await linkedContact("officer", {
    source: "6", referrer: { name: "PC Jones", organisation: "Northshire Police" },
    concern_categories: ["domestic_abuse"],
    concern_summary: "Police called overnight: mother assaulted by her partner with Lily present.",
    urgency: "urgent", family_consent: "not_sought_safeguarding",
    children: [{ given_name: "Lily", family_name: "Ashworth-Risk", date_of_birth: "2017-05-02", sex: "female", address: "9 Mill Lane", postcode: "NE61 2EF" }],
  });
  const today = londonNow().date;
  let risk;
  let agreement;

  await as("social.worker", async (page) => {
    await page.goto(baseUrl(`/contacts/${id}`));
    assert.match(await page.textContent("#dash ~ ul"), /Required/);
    await checkAccessibility(page, "contact about domestic abuse, DASH required");
    await page.click("a:has-text('Complete the DASH risk checklist')");
    await page.waitForSelector("h1:has-text('DASH domestic abuse risk checklist')");
    await checkAccessibility(page, "DASH checklist form");

    // Sent with gaps: the error summary names them.
    await page.click("button:has-text('Save the checklist')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /Answer question 1: yes, no or not known\./);
    await checkAccessibility(page, "DASH checklist with errors");

    await page.fill("#victim_name", "Dawn Ashworth-Risk");
    await page.fill("#victim_relationship", "mother");
    await page.fill("#incident_on", today);
    for (let i = 0; i < 24; i++) {
      await page.check(`input[name='answers[${i}]'][value='${i < 15 ? "yes" : "no"}']`);
    }
    await page.check("input[name=marac_referred][value=yes]");
    await page.fill("#marac_referred_on", today);
    await page.click("button:has-text('Save the checklist')");
    await page.waitForSelector("h1:has-text('High risk')");
    assert.match(await page.textContent("main"), /15 of 24 answers yes/);
    await checkAccessibility(page, "high-risk DASH");

    await page.click(".govuk-caption-l a");
    await page.waitForSelector("h1:has-text('Risk and safety')");
    risk = new URL(page.url()).pathname;
    assert.match(await page.textContent("#unmet-requirements"), /Not met: write a safety plan\./);
    await page.check("input[name=kind][value=written_agreement]");
    await page.click("button:has-text('Start')");
    await page.waitForSelector("h1:has-text('Written agreement')");
    agreement = new URL(page.url()).pathname;
    await page.fill("#concerns", "Mother's partner assaults her with Lily present.");
    await page.fill("#actions-0-description", "Partner agrees not to visit the home");
    await page.fill("#actions-0-owner", "Mother's partner");
    await page.fill("#actions-0-due_on", today);
    await page.fill("#review_on", today);
    await page.click("button:has-text('Save')");
    await page.waitForSelector(".govuk-notification-banner");
    await checkAccessibility(page, "written agreement, drafted");
  });

  await as("manager", async (page) => {
    await page.goto(baseUrl(agreement));
    await page.click("button:has-text('Sign off this written agreement')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /it is not a safety plan/);
    await checkAccessibility(page, "written agreement, signed off");
    await page.goto(baseUrl(risk));
    assert.match(
      await page.textContent("#unmet-requirements"),
      /Not met: a written agreement is recorded, but a written agreement is not a safety plan\./,
    );
    await checkAccessibility(page, "risk and safety: requirement still unmet");
  });
});
