// A child and family assessment in Debian's Chromium against `frontdoor demo`: a child referred
// for assessment; the social worker starts the assessment from the episode, sees the child's
// history beside the form, is refused submission naming each quality point not shown, records a
// visit (seen alone), the child's views, history, family, verification, factors and outcome, and
// submits; the manager authorises it; the list and the quality report show the demo's
// assessments (one a repeat). Every page on the way passes axe (WCAG 2.2 A/AA).
// Needs FRONTDOOR_BASE_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, as, baseUrl, checkAccessibility, DEMO_PASSWORD, linkedContact, londonNow, screenshot } from "./lib/harness.mjs";

async function token(username) {
  const session = await api("/api/session", { method: "POST", body: { username, password: DEMO_PASSWORD } });
  assert.equal(session.status, 201, `${username} signed in to the API`);
  return session.json.token;
}

test("a social worker completes an assessment with its quality points and the manager authorises it", async () => {
  const { id } = await linkedContact("officer", {
    source: "2A", referrer: { name: "Mr Dale", organisation: "Northshire Primary" },
    concern_categories: ["neglect"],
    concern_summary: "Zoe comes to school hungry and in the same clothes all week.",
    urgency: "standard", family_consent: "given",
    children: [{ given_name: "Zoe", family_name: "Hartley-Assess", date_of_birth: "2016-05-04", sex: "female", address: "9 Mill Lane", postcode: "NE61 3AB" }],
  });
  const worker = await token("social.worker");
  const manager = await token("manager");
  const recommended = await api(`/api/contacts/${id}/recommendation`, {
    token: worker, method: "POST",
    body: { outcome: "referral_for_assessment", level_of_need: "3", rationale: "Neglect over weeks: Zoe needs a child and family assessment." },
  });
  assert.equal(recommended.status, 201, JSON.stringify(recommended.json));
  const reviewed = await api(`/api/contacts/${id}/review`, {
    token: manager, method: "POST", body: { authorise: true, rationale: "Agreed: a child and family assessment by the MASH." },
  });
  assert.equal(reviewed.status, 200, JSON.stringify(reviewed.json));
  const contact = await api(`/api/contacts/${id}`, { token: manager });
  const person = contact.json.subjects[0].subject.person;
  const episodes = await api(`/api/people/${person}/episodes`, { token: manager });
  const episode = episodes.json[0].id;
  const today = londonNow().date;
  let assessment;

  await as("social.worker", async (page) => {
    await page.click("nav a:has-text('Assessments')");
    await page.waitForSelector("h1:has-text('Child and family assessments')");
    await checkAccessibility(page, "assessments list");

    await page.goto(baseUrl(`/episodes/${episode}`));
    await checkAccessibility(page, "episode with Start assessment");
    await page.click("button:has-text('Start assessment')");
    await page.waitForSelector("h1:has-text('Child and family assessment')");
    assessment = new URL(page.url()).pathname;
    assert.match(await page.textContent("#due"), /working days left/);
    assert.match(await page.textContent("#history-contacts"), /hungry/, "the child's history beside the form");
    await checkAccessibility(page, "assessment started");

    // Submitted with nothing shown: each quality point is named.
    await page.click("button:has-text('Submit for authorisation')");
    await page.waitForSelector(".govuk-error-summary");
    const summary = await page.textContent(".govuk-error-summary");
    assert.match(summary, /The child was seen alone: not shown/);
    assert.match(summary, /Information was verified with sources other than the parents: not shown/);
    assert.match(summary, /Choose the outcome/);
    await checkAccessibility(page, "assessment submission refused");

    await page.fill("#visited_on", today);
    await page.check("#child_seen");
    await page.check("#seen_alone");
    await page.fill("#note", "Seen alone in her bedroom; she showed me her drawings.");
    await page.click("button:has-text('Record the visit')");
    await page.waitForSelector(".govuk-notification-banner:has-text('Visit recorded')");

    await page.fill("#child_views", "Zoe drew her three houses: she wants more food at home and to see her dad.");
    await page.fill("#history_considered", "One earlier contact from school last winter, closed with advice: the same concern again.");
    await page.fill("#family_considered", "Father lives in the next town and wants more contact; maternal grandmother helps most weekends.");
    await page.fill("#verification_sources", "School: attendance and lunches\nHealth visitor");
    await page.check("input[name=factors][value='16A']");
    await page.check("input[name=factors][value='4B']");
    await page.check("input[name=outcome][value=child_in_need_plan]");
    await page.click("button:has-text('Save the assessment')");
    await page.waitForSelector(".govuk-notification-banner:has-text('Assessment saved')");
    assert.match(await page.textContent("main"), /Every quality point is shown/);
    await checkAccessibility(page, "assessment recorded");

    await page.click("button:has-text('Submit for authorisation')");
    await page.waitForSelector(".govuk-notification-banner:has-text('Submitted')");
    assert.match(await page.textContent("#assessment-state"), /Awaiting authorisation/);
    await checkAccessibility(page, "assessment submitted");
  });

  await as("manager", async (page) => {
    await page.goto(baseUrl(assessment));
    await checkAccessibility(page, "assessment to authorise");
    await page.click("button:has-text('Authorise the assessment')");
    await page.waitForSelector(".govuk-notification-banner:has-text('Assessment authorised')");
    assert.match(await page.textContent("#assessment-state"), /Authorised/);
    assert.match(await page.textContent("main"), /Child in need plan/);
    await screenshot(page, "assessment");
    await checkAccessibility(page, "assessment authorised");

    await page.click("nav a:has-text('Assessments')");
    await page.waitForSelector("h1:has-text('Child and family assessments')");
    assert.match(await page.textContent("main"), /Repeat/, "the demo's repeat assessment is flagged");
    await checkAccessibility(page, "team's assessments");
    await page.goto(baseUrl("/assessments/report"));
    await page.waitForSelector("h1:has-text('Assessment quality report')");
    assert.match(await page.textContent("#report-total"), /[1-9]\d* repeat/);
    assert.match(await page.textContent("main"), /would not be parted from her mother/, "the demo's reason is reported");
    await checkAccessibility(page, "assessment quality report");
  });
});
