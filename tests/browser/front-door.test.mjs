// The front door, end to end, as real users in Debian's Chromium against `frontdoor demo`:
// a school submits the online form; a contact officer links the child; a social worker
// recommends; the social worker's own attempt to authorise is refused; a manager authorises;
// the child's chronology shows it. Every page of the path passes axe (WCAG 2.2 A/AA).
// Needs FRONTDOOR_BASE_URL (scripts/test.sh starts the demo server and sets it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { as, launch, baseUrl, checkAccessibility, screenshot, signIn } from "./lib/harness.mjs";

const CHILD = { given: "Tilly", family: `Marchbank${Date.now() % 100000}`, dob: "2017-05-14" };

async function fillReferral(page) {
  await page.selectOption("#source", "2A");
  await page.fill("#referrer-name", "Ms Jo Teacher");
  await page.fill("#referrer-organisation", "Riverside Primary School");
  await page.fill("#referrer-role", "Designated safeguarding lead");
  await page.fill("#referrer-email", "dsl@riverside.example.org");
  await page.fill("#children-0-given_name", CHILD.given);
  await page.fill("#children-0-family_name", CHILD.family);
  await page.fill("#children-0-date_of_birth", CHILD.dob);
  await page.selectOption("#children-0-sex", "female");
  await page.fill("#children-0-postcode", "NE61 2EF");
  await page.check("#concern_categories-1"); // Neglect
  await page.fill("#concern_summary", "Tilly arrived hungry for the third day running and said there was no food at home.");
  await page.check("#urgency-2"); // urgent
  await page.check("#family_consent-1"); // given
}

async function openContact(page, reference) {
  await page.goto(baseUrl("/contacts"));
  await checkAccessibility(page, "contact queue");
  await page.click(`a:has-text('${reference}')`);
  await page.waitForSelector("h1");
  await checkAccessibility(page, `contact ${reference}`);
}

test("a school's online referral goes through the front door to an authorised decision", async () => {
  let reference;

  // 1. A school submits the online form: first with a mistake, then correctly.
  {
    const browser = await launch();
    try {
      const { page } = browser;
      await page.goto(baseUrl("/refer"));
      await checkAccessibility(page, "online referral form");
      await fillReferral(page);
      await page.fill("#children-0-date_of_birth", "2017-13-45");
      await page.click("button:has-text('Send')");
      await page.waitForSelector(".govuk-error-summary");
      const summary = await page.textContent(".govuk-error-summary");
      assert.match(summary, /Enter a real date/);
      await checkAccessibility(page, "online referral form with errors");
      await page.fill("#children-0-date_of_birth", CHILD.dob);
      await page.click("button:has-text('Send')");
      await page.waitForSelector("#reference");
      reference = (await page.textContent("#reference")).trim();
      assert.match(reference, /^FD-\d{4}-\d{6}$/);
      await checkAccessibility(page, "referral received page");
      await screenshot(page, "01-referral-received");
    } finally {
      await browser.close();
    }
  }

  // 2. A contact officer finds the contact and links the child (a new record here).
  await as("officer", async (page) => {
    await checkAccessibility(page, "contact officer home");
    await openContact(page, reference);
    await page.click("a:has-text('Find or create a record')");
    await page.waitForSelector("h1:has-text('Find')");
    await checkAccessibility(page, "find the child");
    await screenshot(page, "02-find-the-child");
    await page.click("button:has-text('Create a new record')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Record linked/);
    await checkAccessibility(page, "contact after linking");
  }, { check: true });

  // 3. A social worker recommends; their own attempt to authorise is refused.
  await as("social.worker", async (page) => {
    await openContact(page, reference);
    assert.equal(await page.locator("button:has-text('Authorise the decision')").count(), 0, "a social worker is not offered authorisation");
    await page.check("input[name=outcome][value=referral_for_assessment]");
    await page.check("input[name=level_of_need][value='3']");
    await page.fill("#rationale", "Repeated hunger reported by school; parents not engaging; needs a child and family assessment.");
    await page.click("button:has-text('Send to a manager to authorise')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Recommendation sent/);
    await checkAccessibility(page, "contact awaiting authorisation");
    // Forge the manager's form from the social worker's session: the server refuses it.
    const csrf = await page.inputValue("input[name=csrf_token] >> nth=0");
    const url = page.url().split("?")[0] + "/review";
    const response = await page.request.post(url, { form: { csrf_token: csrf, decision: "authorise", review_rationale: "I authorise my own recommendation, which must be refused." } });
    assert.equal(response.status(), 403);
    assert.match(await response.text(), /Your role does not allow this/);
  }, { check: true });

  // 4. A manager of the team authorises; the child's chronology shows the decision.
  await as("manager", async (page) => {
    await openContact(page, reference);
    await page.fill("#review_rationale", "Agree: neglect concerns meet level 3; allocate for assessment today.");
    await page.click("button:has-text('Authorise the decision')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Decision authorised/);
    await checkAccessibility(page, "decided contact");
    await screenshot(page, "03-decision-authorised");
    await page.click(`a:has-text('${CHILD.given} ${CHILD.family}')`);
    await page.waitForSelector("#chronology");
    const chronology = await page.textContent("main");
    assert.match(chronology, new RegExp(`Contact ${reference}`));
    assert.match(chronology, /Recommended: Referral to children's social care for assessment/);
    assert.match(chronology, /Decision authorised: Referral to children's social care for assessment/);
    assert.match(chronology, /Contact from a school: neglect/);
    assert.doesNotMatch(chronology, /Source 2A|neglect_|physical_abuse/);
    await checkAccessibility(page, "child's record and chronology");
    await screenshot(page, "04-child-chronology");
  }, { check: true });
});

test("the online form and staff pages work without JavaScript", async () => {
  const browser = await launch({ javaScriptEnabled: false });
  try {
    const { page } = browser;
    await page.goto(baseUrl("/refer"));
    await fillReferral(page);
    await page.fill("#children-0-family_name", `${CHILD.family}Nojs`);
    await page.click("button:has-text('Send')");
    await page.waitForSelector("#reference");
    const reference = (await page.textContent("#reference")).trim();
    assert.match(reference, /^FD-\d{4}-\d{6}$/);
    await signIn(page, "officer");
    await page.goto(baseUrl("/contacts"));
    await page.click(`a:has-text('${reference}')`);
    await page.click("a:has-text('Find or create a record')");
    await page.click("button:has-text('Create a new record')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Record linked/);
  } finally {
    await browser.close();
  }
});
