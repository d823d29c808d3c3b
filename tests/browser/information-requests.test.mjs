// Information requests as real users in Debian's Chromium against `frontdoor demo`: a social
// worker asks Northshire Police about a child (first with a mistake), the police practitioner
// answers in the partner portal, and the social worker reads the answer and their notification.
// Every page passes axe (WCAG 2.2 A/AA). Needs FRONTDOOR_BASE_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { answerInPortal, as, askNorthshirePolice, baseUrl, checkAccessibility, linkedContact, screenshot } from "./lib/harness.mjs";

const FAMILY = `Ravensworth${Date.now() % 100000}`;
const ANSWER = "Police attended the address twice in 2025 for verbal arguments; no arrests.";

test("a social worker asks the police, who answer in the partner portal", async () => {
  // A contact about a child, linked to a new record (through the API, as a partner system would).
  const { id, subject } = await linkedContact("officer", {
    source: "2A", referrer: { name: "Ms Jo Teacher", organisation: "Riverside Primary" },
    concern_categories: ["neglect"], concern_summary: "Arrived hungry three days running; says there is no food at home.",
    urgency: "standard", family_consent: "given",
    children: [{ given_name: "Rosa", family_name: FAMILY, date_of_birth: "2016-09-12", sex: "female", address: "4 Quarry Row", postcode: "NE61 2EF" }],
  });

  // The social worker sends the request: first without the consent details, then complete.
  await as("social.worker", async (page) => {
    await page.goto(baseUrl(`/contacts/${id}`));
    await page.click("a:has-text('Request information from a partner agency')");
    await page.waitForSelector("h1:has-text('Information requests')");
    await checkAccessibility(page, "a contact's information requests");
    await askNorthshirePolice(page, subject, "Any incidents at 4 Quarry Row in the last year? Any adults there known to you?");
    await page.check("input[name=urgency][value=standard]");
    await page.click("button:has-text('Send request')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /Say who gave consent/);
    await checkAccessibility(page, "request form with errors");
    await page.fill("#consent_given_by", "Rosa's mother");
    await page.fill("#consent_given_on", "2026-01-05");
    await page.click("button:has-text('Send request')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Request sent/);
    assert.match(await page.textContent("main"), /Waiting for an answer/);
    await checkAccessibility(page, "request sent");
    await screenshot(page, "05-information-request-sent");
  });

  // The police practitioner answers in the portal, seeing only what they need.
  await as("partner", async (page) => {
    await page.click("nav a:has-text('Information requests')");
    await page.waitForSelector("h1:has-text('Information requests')");
    await checkAccessibility(page, "partner portal list");
    await page.click(`a:has-text('Rosa ${FAMILY}')`);
    await page.waitForSelector("h1");
    const shown = await page.textContent("main");
    assert.match(shown, /12 Sept? 2016/);
    assert.match(shown, /4 Quarry Row/);
    assert.doesNotMatch(shown, /no food at home/, "the contact's summary is not shown");
    assert.doesNotMatch(shown, /FD-\d{4}/, "nor its reference");
    await answerInPortal(page, ANSWER);
    await screenshot(page, "06-partner-portal-answered");
  });

  // The social worker is told, and reads the answer.
  await as("social.worker", async (page) => {
    await page.click("nav a:has-text('Notifications')");
    await page.waitForSelector("h1:has-text('Notifications')");
    await checkAccessibility(page, "notifications");
    await page.click("a:has-text('Information request answered') >> nth=0");
    await page.waitForSelector("h1:has-text('Information requests')");
    assert.match(await page.textContent("main"), /Police attended the address twice/);
  });
});
