// Threshold prompts in Debian's Chromium against `frontdoor demo`: a contact about an injury to
// a baby of three months shows the prompt beside the recommendation, with its source; the social
// worker recommends early help (below the strategy discussion the prompt asks for); the manager's
// authorisation without a reason is refused naming the prompt, then accepted with one; the
// departures report lists it for quality assurance; the administrator's page sets the prompts.
// Every page on the way passes axe (WCAG 2.2 A/AA).
// Needs FRONTDOOR_BASE_URL (scripts/test.sh starts the demo server and sets it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { as, baseUrl, checkAccessibility, linkedContact } from "./lib/harness.mjs";

/** A date `days` days ago, YYYY-MM-DD. */
function daysAgo(days) {
  const d = new Date(Date.now() - days * 24 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

const REASON = "Seen by the paediatrician today: the mark is a birthmark recorded at the newborn check.";

test("a prompt shows beside the recommendation and authorising below it needs the manager's reason", async () => {
  const { id } = await linkedContact("officer", {
    source: "3B", referrer: { name: "Priya Shah", organisation: "Northshire Health NHS Trust" },
    concern_categories: ["physical_abuse"],
    concern_summary: "A blue mark on the lower back of a three-month-old baby seen at a weighing clinic.",
    urgency: "urgent", family_consent: "given",
    children: [{ given_name: "Alfie", family_name: "Prompt-Wren", date_of_birth: daysAgo(95), sex: "male", address: "9 Mill Lane", postcode: "NE61 3AB" }],
  });

  await as("social.worker", async (page) => {
    await page.goto(baseUrl(`/contacts/${id}`));
    const prompts = await page.textContent("#threshold-prompts ~ .fd-threshold-prompt");
    assert.match(prompts, /Injury to a baby who is not yet mobile: asks for at least strategy discussion/);
    assert.match(prompts, /Alfie Prompt-Wren is 3 months old/);
    assert.match(prompts, /Source: Child Safeguarding Practice Review Panel/);
    await checkAccessibility(page, "contact with a threshold prompt");
    await page.check("input[name=outcome][value=early_help]");
    await page.check("input[name=level_of_need][value='2']");
    await page.fill("#rationale", "A birthmark was noted at the newborn check; the family accept early help with feeding.");
    await page.click("button:has-text('Send to a manager to authorise')");
    await page.waitForSelector(".govuk-notification-banner");
  });

  await as("manager", async (page) => {
    await page.goto(baseUrl(`/contacts/${id}`));
    const reason = "#departure_reason_injury_to_non_mobile_baby";
    await page.waitForSelector(reason);
    await checkAccessibility(page, "authorising below a threshold prompt");
    await page.fill("#review_rationale", "Agree: early help with feeding; the mark is explained.");
    await page.click("button:has-text('Authorise the decision')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /Injury to a baby who is not yet mobile/);
    await checkAccessibility(page, "authorisation refused without a reason");
    await page.fill(reason, REASON);
    await page.click("button:has-text('Authorise the decision')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Manager's reason for departing from it: Seen by the paediatrician/);
    await checkAccessibility(page, "decided below a prompt, with the reason");
  });

  await as("qa", async (page) => {
    await page.goto(baseUrl("/threshold-prompts"));
    assert.match(await page.textContent("main"), /birthmark recorded at the newborn check/);
    await checkAccessibility(page, "departures report");
  });

  await as("admin", async (page) => {
    await page.goto(baseUrl("/admin/threshold-prompts"));
    assert.match(await page.textContent("main"), /The myth of invisible men/);
    await checkAccessibility(page, "threshold prompts administration");
    await page.fill("#repeat_contacts_second_parameter", "99");
    await page.click("button:has-text('Save threshold prompts')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /number of months must be a whole number from 1 to 36/);
    await checkAccessibility(page, "threshold prompts administration with an error");
  });
});
