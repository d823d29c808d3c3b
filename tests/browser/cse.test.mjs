// Child sexual exploitation in Debian's Chromium against `frontdoor demo`: a contact raising CSE
// prompts the screening; a social worker completes it at high risk (an older partner, unexplained
// money); the safety plan's sign-off is refused naming the indicator no action answers, then
// accepted once an action answers it; the child is on the risk management group's list. Every
// page on the way passes axe (WCAG 2.2 A/AA).
// Needs FRONTDOOR_BASE_URL (scripts/test.sh starts the demo server and sets it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { as, baseUrl, checkAccessibility, linkedContact, londonNow } from "./lib/harness.mjs";

test("a CSE contact leads to a high-risk screening, a plan answering each indicator and the group", async () => {
  const { id } = await linkedContact("officer", {
    source: "5A", referrer: { name: "Ms Patel", organisation: "Northshire Academy" },
    concern_categories: ["child_sexual_exploitation"],
    concern_summary: "Maya is collected from school by an older man in a car and has unexplained money.",
    urgency: "urgent", family_consent: "not_sought_safeguarding",
    children: [{ given_name: "Maya", family_name: "Fenwick-Cse", date_of_birth: "2011-09-14", sex: "female", address: "4 Quay Road", postcode: "NE61 3AB" }],
  });
  const today = londonNow().date;
  let plan;

  await as("social.worker", async (page) => {
    await page.goto(baseUrl(`/contacts/${id}`));
    assert.match(await page.textContent("#cse ~ ul"), /Required/);
    await checkAccessibility(page, "contact raising CSE, screening required");
    await page.click("a:has-text('Complete the CSE screening')");
    await page.waitForSelector("h1:has-text('Child sexual exploitation screening')");
    await checkAccessibility(page, "CSE screening form");

    await page.click("button:has-text('Save the screening')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /present, not present or not known/);
    await checkAccessibility(page, "CSE screening with errors");

    for (const radio of await page.$$("input[type=radio][value=not_present]")) {
      await radio.check();
    }
    await page.check("input[name='answers.older_people.older_partner'][value=present]");
    await page.check("input[name='answers.gifts.money'][value=present]");
    await page.click("button:has-text('Save the screening')");
    await page.waitForSelector("h1:has-text('High')");
    assert.match(await page.textContent("main"), /Risk management group review by/);
    await checkAccessibility(page, "high-risk CSE screening");

    await page.click("button:has-text('Write the safety plan')");
    await page.waitForSelector("h1:has-text('Safety plan')");
    plan = new URL(page.url()).pathname;
    assert.match(await page.textContent("#indicators-to-answer"), /Unexplained money/);
    await page.fill("#concerns", "Maya is groomed by an older man who gives her money.");
    await page.fill("#actions-0-description", "Police abduction notice to the man collecting Maya");
    await page.fill("#actions-0-owner", "Police CSE team");
    await page.fill("#actions-0-due_on", today);
    await page.check("input[name='actions[0].answers'][value='older_people.older_partner']");
    await page.fill("#review_on", today);
    await page.click("button:has-text('Save')");
    await page.waitForSelector(".govuk-notification-banner");
    await checkAccessibility(page, "CSE safety plan, drafted");
  });

  await as("manager", async (page) => {
    await page.goto(baseUrl(plan));
    await page.click("button:has-text('Sign off this safety plan')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(
      await page.textContent(".govuk-error-summary"),
      /No action answers the identified concern "Unexplained money"/,
    );
    await checkAccessibility(page, "CSE safety plan, sign-off refused");
  });

  await as("social.worker", async (page) => {
    await page.goto(baseUrl(plan));
    await page.fill("#actions-1-description", "Find out where the money comes from; talk to Maya");
    await page.fill("#actions-1-owner", "Social worker");
    await page.fill("#actions-1-due_on", today);
    await page.check("input[name='actions[1].answers'][value='gifts.money']");
    await page.click("button:has-text('Save')");
    await page.waitForSelector(".govuk-notification-banner");
  });

  await as("manager", async (page) => {
    await page.goto(baseUrl(plan));
    await page.click("button:has-text('Sign off this safety plan')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Unexplained money/);
    await checkAccessibility(page, "CSE safety plan, signed off");
    await page.goto(baseUrl("/risk-management-group?level=high"));
    const row = await page.textContent("#risk-management-group");
    assert.match(row, /Maya Fenwick-Cse/);
    await checkAccessibility(page, "risk management group");
  });
});
