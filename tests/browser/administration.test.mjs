// The administrator's pages in Debian's Chromium against `frontdoor demo`: the workers list and
// a worker's page, the confirmation, password and role forms (with their error summaries), the
// refusal to deactivate oneself, partner organisations and teams (add, rename, retire an
// organisation and a team made for this test), and the threshold framework with its edit form.
// Every page passes axe (WCAG 2.2 A/AA). Nothing shared with the other tests is changed: the
// demo users stay as they are and no new framework version is published.
// Needs FRONTDOOR_BASE_URL (scripts/test.sh starts the demo server and sets it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, baseUrl, checkAccessibility, signIn } from "./lib/harness.mjs";

const SUFFIX = Date.now() % 1000000;

test("an administrator walks through the administration pages", async () => {
  const browser = await launch();
  try {
    const { page } = browser;
    await signIn(page, "admin");

    // From the home page to the workers.
    await page.click("main a:has-text('Workers')");
    await page.waitForSelector("h1:has-text('Workers')");
    assert.match(await page.textContent("main"), /Morag Campbell/);
    await checkAccessibility(page, "workers list");

    // A worker's page, and the administrator's own: no link to deactivate oneself.
    await page.click("a:has-text('Morag Campbell')");
    await page.waitForSelector("h1:has-text('Morag Campbell')");
    assert.match(await page.textContent(".govuk-summary-list"), /MASH team A/);
    await checkAccessibility(page, "a worker's page");
    await page.click("a:has-text('Deactivate the account')");
    await page.waitForSelector("h1:has-text('Deactivate Morag Campbell?')");
    await checkAccessibility(page, "deactivation confirmation");
    await page.click("a:has-text('Cancel')");
    await page.waitForSelector("h1:has-text('Morag Campbell')");
    await page.click("a:has-text('End every session')");
    await page.waitForSelector("h1:has-text('End every session of Morag Campbell?')");
    await checkAccessibility(page, "end sessions confirmation");

    await page.goto(baseUrl("/admin/workers"));
    await page.click("a:has-text('Ada Lovell')");
    await page.waitForSelector("h1");
    const own = page.url().split("?")[0];
    const ownName = (await page.textContent("h1")).trim();
    assert.equal(await page.locator("a:has-text('Deactivate the account')").count(), 0, "no link to deactivate oneself");
    // Forcing it anyway is refused with a clear page.
    await page.goto(`${own}/deactivate`);
    await checkAccessibility(page, "own deactivation confirmation");
    await page.click("button:has-text('Deactivate the account')");
    await page.waitForSelector("h1:has-text('This cannot be done now')");
    assert.match(await page.textContent("main"), /cannot deactivate your own account/);
    await checkAccessibility(page, "refusal to deactivate oneself");

    // The email for notifications: a malformed address is refused, a good one is shown.
    await page.goto(`${own}/email`);
    await page.waitForSelector("h1:has-text('Email for notifications')");
    await checkAccessibility(page, "email form");
    await page.fill("#email", "not an address");
    await page.click("button:has-text('Save the email address')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /Enter an email address like/);
    await checkAccessibility(page, "email form with errors");
    await page.fill("#email", "ada.lovell@northshire.example");
    await page.click("button:has-text('Save the email address')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent(".govuk-summary-list"), /ada\.lovell@northshire\.example/);

    // The password form: two different passwords are refused, and neither is shown again.
    await page.goto(`${own}/password`);
    await page.waitForSelector("h1:has-text('Reset the password')");
    await checkAccessibility(page, "password form");
    await page.fill("#password", "one long password here");
    await page.fill("#password_again", "another long password");
    await page.click("button:has-text('Reset the password')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /two passwords are different/);
    assert.equal(await page.inputValue("#password"), "");
    await checkAccessibility(page, "password form with errors");

    // The role form: a team manager must have a team.
    await page.goto(`${own}/change`);
    await page.waitForSelector("h1:has-text('Change role or team')");
    await checkAccessibility(page, "role and team form");
    await page.check("input[name=role][value=team_manager]");
    await page.selectOption("#team", "");
    await page.click("button:has-text('Save the change')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /must have a team/);
    await checkAccessibility(page, "role and team form with errors");
    await page.goto(own);
    assert.match(await page.textContent("h1"), new RegExp(ownName));

    // Partner organisations: an error, then add, rename and retire one made for this test.
    await page.goto(baseUrl("/admin/organisations"));
    await checkAccessibility(page, "partner organisations");
    await page.click("button:has-text('Add the organisation')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /Enter the organisation's name/);
    await checkAccessibility(page, "partner organisations with errors");
    const organisation = `Test Academy Trust ${SUFFIX}`;
    await page.fill("#name", organisation);
    await page.check("input[name=kind][value=school]");
    await page.click("button:has-text('Add the organisation')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent("main"), new RegExp(organisation));
    await checkAccessibility(page, "organisation added");
    await page.click(`tr:has-text('${organisation}') a:has-text('Rename')`);
    await page.waitForSelector("h1:has-text('Rename')");
    await checkAccessibility(page, "rename an organisation");
    await page.fill("#name", `${organisation} (renamed)`);
    await page.click("button:has-text('Rename')");
    await page.waitForSelector(".govuk-notification-banner");
    await page.click(`tr:has-text('${organisation} (renamed)') a:has-text('Retire')`);
    await page.waitForSelector("h1:has-text('Retire')");
    await checkAccessibility(page, "retire an organisation");
    await page.click("button:has-text('Retire the organisation')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent(`tr:has-text('${organisation} (renamed)')`), /Retired/);
    await checkAccessibility(page, "organisation retired");

    // Teams: add, rename and retire one made for this test (it receives no contacts).
    await page.goto(baseUrl("/admin/teams"));
    await checkAccessibility(page, "teams");
    const team = `Test team ${SUFFIX}`;
    await page.fill("#name", team);
    await page.click("button:has-text('Add the team')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /Choose whether contacts are allocated/);
    await checkAccessibility(page, "teams with errors");
    await page.check("input[name=receives_contacts][value=no]");
    await page.click("button:has-text('Add the team')");
    await page.waitForSelector(".govuk-notification-banner");
    await page.click(`tr:has-text('${team}') a:has-text('Rename')`);
    await page.waitForSelector("h1:has-text('Rename')");
    await page.fill("#name", `${team} renamed`);
    await page.click("button:has-text('Rename')");
    await page.waitForSelector(".govuk-notification-banner");
    await page.click(`tr:has-text('${team} renamed') a:has-text('Retire')`);
    await page.waitForSelector("h1:has-text('Retire')");
    await checkAccessibility(page, "retire a team");
    await page.click("button:has-text('Retire the team')");
    await page.waitForSelector(".govuk-notification-banner");
    assert.match(await page.textContent(`tr:has-text('${team} renamed')`), /Retired/);

    // The threshold framework: the version in force, its history, the edit form and its errors.
    await page.goto(baseUrl("/admin/threshold-framework"));
    await page.waitForSelector("h2:has-text('in force')");
    assert.match(await page.textContent(".govuk-summary-list"), /Level 1/);
    await checkAccessibility(page, "threshold framework");
    await page.click("a:has-text('Edit and publish a new version')");
    await page.waitForSelector("h1:has-text('Publish a new version')");
    await checkAccessibility(page, "threshold framework edit form");
    await page.fill("#level_2_name", "");
    await page.click("button:has-text('Publish the new version')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /Give level 2 a name/);
    await checkAccessibility(page, "threshold framework edit form with errors");
  } finally {
    await browser.close();
  }
});
