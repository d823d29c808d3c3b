// Early help in Debian's Chromium against `frontdoor demo`: an early help decision is authorised
// (through the API); the early help coordinator takes the child from the unallocated list,
// records the mother's consent to share with health, appoints the health visitor lead
// professional (who then sees the episode in the partner portal, only as far as consent
// allows), and steps the child up to children's social care: the new contact is in the front
// door's queue carrying the early help history; another episode is closed with its reason and
// summary. Every page on the way passes axe (WCAG 2.2 A/AA).
// Needs FRONTDOOR_BASE_URL (scripts/test.sh starts the demo server and sets it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, as, baseUrl, checkAccessibility, DEMO_PASSWORD, linkedContact, londonNow } from "./lib/harness.mjs";

async function token(username) {
  const session = await api("/api/session", { method: "POST", body: { username, password: DEMO_PASSWORD } });
  assert.equal(session.status, 201, `${username} signed in to the API`);
  return session.json.token;
}

test("an early help episode: consent, a partner lead professional, step-up to the front door", async () => {
  const { id } = await linkedContact("officer", {
    source: "2A", referrer: { name: "Mrs Hall", organisation: "Riverside Primary School" },
    concern_categories: ["neglect"],
    concern_summary: "Isla often comes to school hungry; her mother says she is not coping since the baby was born.",
    urgency: "standard", family_consent: "given",
    children: [{ given_name: "Isla", family_name: "Fenwick-Eh", date_of_birth: "2017-04-02", sex: "female", address: "9 Mill Lane", postcode: "NE61 2EF" }],
  });
  const recommended = await api(`/api/contacts/${id}/recommendation`, {
    token: await token("social.worker"), method: "POST",
    body: { outcome: "early_help", level_of_need: "2", rationale: "Support with routines and food for a mother who is not coping; no indication of harm." },
  });
  assert.equal(recommended.status, 201, JSON.stringify(recommended.json));
  const authorised = await api(`/api/contacts/${id}/review`, {
    token: await token("manager"), method: "POST",
    body: { authorise: true, rationale: "Agreed: offer the family early help with a team around them." },
  });
  assert.equal(authorised.status, 200, JSON.stringify(authorised.json));
  const today = londonNow().date;
  let episode;

  await as("early.help", async (page) => {
    await page.goto(baseUrl("/early-help"));
    assert.match(await page.textContent("#unallocated"), /Isla Fenwick-Eh/);
    await checkAccessibility(page, "early help lists");
    await page.click("#unallocated a:has-text('Isla Fenwick-Eh')");
    await page.waitForSelector("h1:has-text('Early help: Isla Fenwick-Eh')");
    episode = new URL(page.url()).pathname;
    await checkAccessibility(page, "early help episode, unallocated");
    await page.click("button:has-text('Allocate')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Ellie Hughes/);

    // Nothing is shared before consent: the health visitor cannot be appointed.
    await page.selectOption("#lead", { label: "Gemma Lowe, Northshire Health NHS Trust" });
    await page.click("button:has-text('Appoint the lead professional')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /consent/);
    await checkAccessibility(page, "lead professional refused without consent");

    await page.click("summary:has-text('Record a consent decision')");
    await page.check("input[name=decision][value=given]");
    await page.fill("#given_by", "Kerry Fenwick");
    await page.fill("#relationship", "Mother");
    await page.fill("#decided_on", today);
    await page.check("input[name=agencies][value=health]");
    await page.check("input[name=parts][value=identity]");
    await page.check("input[name=parts][value=assessment]");
    await page.click("button:has-text('Record the consent decision')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("#consents"), /Kerry Fenwick/);
    assert.match(await page.textContent("#sharing"), /Yes \(consent\)/);
    await checkAccessibility(page, "early help episode with consent");

    await page.selectOption("#lead", { label: "Gemma Lowe, Northshire Health NHS Trust" });
    await page.click("button:has-text('Appoint the lead professional')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Northshire Health NHS Trust/);
    await checkAccessibility(page, "early help episode with its lead professional");
  });

  await as("health.visitor", async (page) => {
    await page.goto(baseUrl("/partner/early-help"));
    assert.match(await page.textContent("#led"), /Isla Fenwick-Eh/);
    await checkAccessibility(page, "partner portal: early help led");
    await page.click("#led a:has-text('Isla Fenwick-Eh')");
    await page.waitForSelector("h1:has-text('Early help: Isla Fenwick-Eh')");
    // Consent covers the identity and the assessment, not the family history.
    assert.match(await page.textContent("#withheld"), /Family history/);
    await checkAccessibility(page, "partner portal: the episode as shared");
  });

  await as("early.help", async (page) => {
    await page.goto(baseUrl(episode));
    await page.check("input[name=concern_categories][value=neglect]");
    await page.fill("#concern_summary", "Isla was found alone at home late at night; her mother could not be reached.");
    await page.selectOption("#urgency", "urgent");
    await page.click("button:has-text('Step up to children')");
    await page.waitForSelector("h1");
    assert.match(page.url(), /\/contacts\//);
    const contact = await page.textContent("main");
    assert.match(contact, /Early help history/);
    assert.match(contact, /Kerry Fenwick/);
    assert.match(contact, /Gemma Lowe/);
    await checkAccessibility(page, "the step-up contact");
    await page.goto(baseUrl(episode));
    assert.match(await page.textContent("#stepped-up"), /Stepped up/);
    await checkAccessibility(page, "early help episode, stepped up");
  });

  await as("social.worker", async (page) => {
    await page.goto(baseUrl("/contacts"));
    assert.match(await page.textContent("main"), /Isla Fenwick-Eh/);
    await checkAccessibility(page, "the queue with the step-up contact");
  });
});

test("an early help episode closes with its reason and summary, refused first when they are missing", async () => {
  const { id } = await linkedContact("officer", {
    source: "2A", referrer: { name: "Mr Dodd", organisation: "Riverside Primary School" },
    concern_categories: ["neglect"],
    concern_summary: "Noah's attendance has dropped since his father left; his mother asks for help with mornings.",
    urgency: "standard", family_consent: "given",
    children: [{ given_name: "Noah", family_name: "Pryce-Eh", date_of_birth: "2016-09-12", sex: "male", address: "3 Mill Lane", postcode: "NE61 2EF" }],
  });
  const recommended = await api(`/api/contacts/${id}/recommendation`, {
    token: await token("social.worker"), method: "POST",
    body: { outcome: "early_help", level_of_need: "2", rationale: "Help with routines for a mother asking for it; no indication of harm." },
  });
  assert.equal(recommended.status, 201, JSON.stringify(recommended.json));
  const authorised = await api(`/api/contacts/${id}/review`, {
    token: await token("manager"), method: "POST",
    body: { authorise: true, rationale: "Agreed: early help with the family hub." },
  });
  assert.equal(authorised.status, 200, JSON.stringify(authorised.json));

  await as("early.help", async (page) => {
    await page.goto(baseUrl("/early-help"));
    await page.click("#unallocated a:has-text('Noah Pryce-Eh')");
    await page.waitForSelector("h1:has-text('Early help: Noah Pryce-Eh')");
    await page.click("button:has-text('Allocate')");
    await page.waitForSelector(".govuk-notification-banner");

    await page.click("button:has-text('Close early help')");
    await page.waitForSelector(".govuk-error-summary");
    const errors = await page.textContent(".govuk-error-summary");
    assert.match(errors, /why early help is ending/i);
    assert.match(errors, /Summarise/);
    await checkAccessibility(page, "early help closure refused");

    await page.check("input[name=reason][value=needs_met]");
    await page.fill("#summary", "Mornings are settled and Noah has attended every day for six weeks.");
    await page.click("button:has-text('Close early help')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("#closure"), /Needs met/);
    assert.match(await page.textContent("#closure"), /attended every day/);
    assert.equal(await page.locator("button:has-text('Close early help')").count(), 0);
    await checkAccessibility(page, "early help episode, closed");
  });
});
