// The whole multi-agency journey for one child, as real users in Debian's Chromium against
// `frontdoor demo`: a contact is recorded and the child linked; the social worker asks
// Northshire Police, who answer in the partner portal; a strategy discussion is recommended and
// authorised; its write-up is first incomplete (the manager's sign-off is refused naming what is
// missing), then complete and signed off; a section 47 enquiry with a visit and an outcome; an
// initial child protection conference that starts a plan; and the child's chronology tells each
// step in plain words, with its filter keeping one kind. Every page passes axe (WCAG 2.2 A/AA).
// Needs FRONTDOOR_BASE_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  answerInPortal, as as asUser, askNorthshirePolice, baseUrl, checkAccessibility, linkedContact,
  londonNow, saveIncompleteStrategyDiscussion, screenshot, sendWithConsent,
} from "./lib/harness.mjs";

const FAMILY = `Wetherall${Date.now() % 100000}`;
const CHILD = `Maisie ${FAMILY}`;
const ANSWER = "Police were called to the address on 2 November for a domestic incident; the mother's partner was arrested.";

/**
 * Sign in as `username` in a fresh browser (the sign-in page and the first page after it pass
 * axe), run `steps(page)` and always close the browser.
 */
function as(username, steps) {
  return asUser(username, async (page) => {
    await checkAccessibility(page, `${username}'s first page after signing in`);
    return steps(page);
  }, { check: true });
}

test("one child's multi-agency journey: contact, police answer, strategy discussion, section 47, conference, plan", async () => {
  // 1. A contact about a new child, linked to a new record (through the API, as a partner system would).
  const { id, subject } = await linkedContact("officer", {
    source: "2A", referrer: { name: "Ms Jo Teacher", organisation: "Riverside Primary" },
    concern_categories: ["physical_abuse"],
    concern_summary: "Bruising to the upper arm; Maisie says her mum's boyfriend grabbed her.",
    urgency: "urgent", family_consent: "given",
    children: [{ given_name: "Maisie", family_name: FAMILY, date_of_birth: "2018-03-02", sex: "female", address: "9 Colliery Lane", postcode: "NE61 3AB" }],
  });

  // 2. The social worker asks Northshire Police; the police practitioner answers in the portal.
  await as("social.worker", async (page) => {
    await page.goto(baseUrl(`/contacts/${id}`));
    await checkAccessibility(page, "contact");
    await page.click("a:has-text('Request information from a partner agency')");
    await page.waitForSelector("h1:has-text('Information requests')");
    await checkAccessibility(page, "a contact's information requests");
    await askNorthshirePolice(page, subject, "Any incidents at 9 Colliery Lane? Is the mother's partner known to you?");
    await sendWithConsent(page, "Maisie's mother", "information request sent");
  });
  await as("partner", async (page) => {
    await page.goto(baseUrl("/partner/requests"));
    await page.waitForSelector("h1:has-text('Information requests')");
    await checkAccessibility(page, "partner portal list");
    await page.click(`a:has-text('${CHILD}')`);
    await page.waitForSelector("h1");
    await answerInPortal(page, ANSWER);
  });

  // 3. The social worker recommends a strategy discussion; the manager authorises it.
  await as("social.worker", async (page) => {
    await page.goto(baseUrl(`/contacts/${id}`));
    await checkAccessibility(page, "contact with the police answer, to recommend");
    await page.check("input[name=outcome][value=strategy_discussion]");
    await page.check("input[name=level_of_need][value='4']");
    await page.fill("#rationale", "Non-accidental injury alleged against the mother's partner, who police arrested for domestic abuse: significant harm.");
    await page.click("button:has-text('Send to a manager to authorise')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Recommendation sent/);
    await checkAccessibility(page, "contact awaiting authorisation");
  });
  const { personPath, discussion } = await as("manager", async (page) => {
    await page.goto(baseUrl(`/contacts/${id}`));
    await checkAccessibility(page, "contact to authorise");
    await page.fill("#review_rationale", "Agree: an alleged injury by an adult in the home; hold a strategy discussion today.");
    await page.click("button:has-text('Authorise the decision')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Decision authorised/);
    await checkAccessibility(page, "contact authorised");
    await page.click(`a:has-text('${CHILD}')`);
    await page.waitForSelector("#chronology");
    await checkAccessibility(page, "child's record");
    const personPath = new URL(page.url()).pathname;
    assert.match(personPath, /^\/people\/[^/]+$/);
    await page.click("a:has-text('Referral of')");
    await page.waitForSelector("h2:has-text('Strategy discussions')");
    await checkAccessibility(page, "episode of need");
    const discussion = await page.getAttribute("a[href^='/strategy-discussions/']", "href");
    assert.ok(discussion, "the episode has a strategy discussion to hold");
    return { personPath, discussion };
  });

  // 4. The write-up, first incomplete: the manager's sign-off is refused naming what is missing.
  await as("social.worker", async (page) => {
    await page.goto(baseUrl(discussion));
    await checkAccessibility(page, "strategy discussion to hold");
    await saveIncompleteStrategyDiscussion(page, "Alleged non-accidental injury; police to investigate jointly.");
  });
  await as("manager", async (page) => {
    await page.goto(baseUrl(discussion));
    await checkAccessibility(page, "strategy discussion held, awaiting sign-off");
    await page.click("button:has-text('Sign off this strategy discussion')");
    await page.waitForSelector(".govuk-error-summary");
    const summary = await page.textContent(".govuk-error-summary");
    assert.match(summary, /Add the police participant, or record why the police did not take part\./);
    assert.match(summary, /Add the health participant, or record why health did not take part\./);
    assert.match(summary, /Define at least one risk/);
    await checkAccessibility(page, "strategy discussion sign-off refused");
  });
  await as("social.worker", async (page) => {
    await page.goto(baseUrl(discussion));
    await checkAccessibility(page, "strategy discussion held, incomplete, to complete");
    await page.fill("#attendees-0-name", "DS Priya Khan");
    await page.selectOption("#attendees-0-agency", "police");
    await page.fill("#attendees-0-role", "Detective sergeant, child abuse investigation team");
    await page.fill("#attendees-0-information_shared", ANSWER);
    await page.fill("#attendees-1-name", "Sam Okafor");
    await page.selectOption("#attendees-1-agency", "health");
    await page.fill("#attendees-1-role", "Named nurse for safeguarding");
    await page.fill("#attendees-1-information_shared", "GP records a fractured wrist at age 4, explained as a fall.");
    await page.fill("#attendees-2-name", "Alex Social Worker");
    await page.selectOption("#attendees-2-agency", "childrens_social_care");
    await page.fill("#attendees-2-role", "MASH social worker");
    await page.fill("#attendees-2-information_shared", "School reports bruising and Maisie's account of being grabbed.");
    await page.fill("#risks-0-harm", "Physical injury");
    await page.fill("#risks-0-to_whom", "Maisie");
    await page.fill("#risks-0-from_whom", "The mother's partner");
    await page.selectOption("#risks-0-likelihood", "high");
    await page.selectOption("#risks-0-severity", "high");
    await page.click("button:has-text('Save the strategy discussion')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.equal(await page.locator(".govuk-warning-text").count(), 0, "nothing is missing");
    await checkAccessibility(page, "strategy discussion saved, complete");
  });
  await as("manager", async (page) => {
    await page.goto(baseUrl(discussion));
    await checkAccessibility(page, "strategy discussion complete, awaiting sign-off");
    await page.click("button:has-text('Sign off this strategy discussion')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Strategy discussion signed off\./);
    assert.match(await page.textContent("h2:has-text('Decision:')"), /Section 47 enquiry/);
    await checkAccessibility(page, "strategy discussion signed off");
    await screenshot(page, "journey-strategy-discussion-signed-off");
  });

  // 5. The section 47 enquiry: started from the discussion, a visit, and its outcome.
  // 6. The initial child protection conference, which starts a plan.
  await as("social.worker", async (page) => {
    await page.goto(baseUrl(discussion));
    await checkAccessibility(page, "signed-off strategy discussion (social worker)");
    await page.click("button:has-text('Start the section 47 enquiry')");
    await page.waitForURL(/\/episodes\//);
    await page.waitForSelector("legend:has-text('Record a visit')");
    await checkAccessibility(page, "episode with section 47 enquiry");
    const now = londonNow();
    await page.fill("#visited_date", now.date);
    await page.fill("#visited_time", now.time);
    await page.fill("#visited_by", "Alex Social Worker and DS Khan");
    await page.check("input[name=child_seen][value=yes]");
    await page.check("input[name=seen_alone][value=yes]");
    await page.click("button:has-text('Record the visit')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Visit recorded\./);
    assert.match(await page.textContent("main"), /Seen alone/);
    await checkAccessibility(page, "section 47 visit recorded");
    await page.check("input[name=concerns_substantiated][value=yes]");
    await page.check("input[name=icpc_needed][value=yes]");
    await page.fill("#reason", "Injury consistent with Maisie's account; the partner still has contact.");
    await page.click("button:has-text('Record the outcome')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Enquiry outcome recorded\./);
    await checkAccessibility(page, "section 47 outcome recorded");
    await page.fill("#held_on", londonNow().date);
    await page.fill("#chair", "Pat Independent Chair");
    await page.check("input[name=plan][value=yes]");
    await page.selectOption("#category", "PHY");
    await page.click("button:has-text('Record the conference')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), /Conference recorded\./);
    await checkAccessibility(page, "conference recorded, plan started");
    await screenshot(page, "journey-episode-plan");

    // Later in the episode, health is asked from the episode itself (no child to choose).
    const episode = new URL(page.url()).pathname;
    await page.click("a:has-text('Information requests sent from this episode')");
    await page.waitForURL(`**${episode}/information-requests`);
    await checkAccessibility(page, "episode's information requests");
    assert.equal(await page.locator("#subject").count(), 0, "the episode's child is the subject");
    await page.selectOption("#organisation", { label: "Northshire Health NHS Trust" });
    await page.selectOption("#agency", "health");
    await page.fill("#questions", "Maisie's attendance at appointments since the conference, and any injuries seen.");
    await sendWithConsent(page, "Maisie's mother", "episode's request sent");
  });

  // 7. The child's chronology tells every step in plain words; the filter keeps one kind.
  await as("social.worker", async (page) => {
    await page.goto(baseUrl(personPath));
    await page.waitForSelector("#chronology");
    const titles = (await page.locator(".moj-timeline__title").allTextContents()).map((t) => t.trim());
    const has = (pattern) => assert.ok(titles.some((t) => pattern.test(t)), `chronology has ${pattern}: ${titles.join(" | ")}`);
    has(/^Northshire Police \(police\) answered an information request$/);
    has(/^Strategy discussion signed off: Section 47 enquiry$/);
    has(/^Section 47 enquiry started$/);
    has(/^Section 47 visit by Alex Social Worker and DS Khan$/);
    has(/^Section 47 enquiry completed: concerns substantiated/);
    has(/^Initial child protection conference: child protection plan \(physical abuse\)$/);
    has(/^Child protection plan started: physical abuse$/);
    assert.match(await page.textContent(".moj-timeline"), /Child seen alone\./);
    await checkAccessibility(page, "child's chronology");
    await screenshot(page, "journey-chronology");

    await page.goto(baseUrl(`${personPath}?show=strategy_discussion`));
    await page.waitForSelector("#chronology");
    const shown = (await page.locator(".moj-timeline__title").allTextContents()).map((t) => t.trim());
    const kinds = (await page.locator(".moj-timeline__date .govuk-tag").allTextContents()).map((t) => t.trim());
    assert.ok(shown.includes("Strategy discussion signed off: Section 47 enquiry"));
    assert.ok(shown.some((t) => /^Strategy discussion sign-off refused/.test(t)));
    assert.ok(kinds.length > 0 && kinds.every((k) => k === "Strategy discussions"), `only strategy discussions: ${kinds.join(", ")}`);
    assert.ok(shown.every((t) => /^Strategy discussion /.test(t)), `nothing else: ${shown.join(" | ")}`);
    assert.equal(await page.inputValue("#show"), "strategy_discussion");
    await checkAccessibility(page, "chronology filtered to strategy discussions");

    await page.goto(baseUrl(`${personPath}?show=section_47_enquiry`));
    await page.waitForSelector("#chronology");
    const enquiry = (await page.locator(".moj-timeline__title").allTextContents()).map((t) => t.trim());
    assert.ok(enquiry.length >= 3 && enquiry.every((t) => /^Section 47/.test(t)), `only the enquiry: ${enquiry.join(" | ")}`);
    await checkAccessibility(page, "chronology filtered to section 47 enquiries");
  });
});
