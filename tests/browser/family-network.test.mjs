// The family network in Debian's Chromium against `frontdoor demo`: a social worker records
// that two children are brother and sister (first sending the form empty, then filled in); the
// record then draws the genogram (an SVG the server drew, with a title and description) and
// lists every person, their open involvement and every relationship in words. Every page on the
// way passes axe (WCAG 2.2 A/AA).
// Needs FRONTDOOR_BASE_URL (scripts/test.sh starts the demo server and sets it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, as, baseUrl, checkAccessibility, DEMO_PASSWORD, linkedContact, screenshot } from "./lib/harness.mjs";

async function childOn(contact) {
  const session = await api("/api/session", { method: "POST", body: { username: "officer", password: DEMO_PASSWORD } });
  const view = await api(`/api/contacts/${contact}`, { token: session.json.token });
  return view.json.subjects[0].subject.person;
}

const concern = (given, born, sex) => ({
  source: "6", referrer: { name: "PC Jones", organisation: "Northshire Police" },
  concern_categories: ["neglect"],
  concern_summary: `Police found ${given} at home alone late at night.`,
  urgency: "urgent", family_consent: "not_sought_safeguarding",
  children: [{ given_name: given, family_name: "Network-Test", date_of_birth: born, sex, address: "4 Quay Road", postcode: "NE61 3GH" }],
});

test("a relationship recorded on the record is drawn as a family network and listed in words", async () => {
  const noor = await childOn((await linkedContact("officer", concern("Noor", "2016-03-04", "female"))).id);
  const sami = await childOn((await linkedContact("officer", concern("Sami", "2019-07-08", "male"))).id);

  await as("social.worker", async (page) => {
    await page.goto(baseUrl(`/people/${noor}`));
    assert.match(await page.textContent("main"), /No relationships are recorded\./);
    await page.click("a:has-text('Record a relationship')");
    await page.waitForSelector("h1:has-text('Record a relationship')");
    await checkAccessibility(page, "record a relationship");

    await page.click("button:has-text('Record the relationship')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /Enter the Person ID/);
    await checkAccessibility(page, "record a relationship, with errors");

    await page.fill("#related_person", sami);
    await page.check("input[name=direction][value=they_are]");
    await page.selectOption("#relationship", "sibling_of");
    await page.click("button:has-text('Record the relationship')");
    await page.waitForSelector("h2#family-network");

    const picture = page.locator("svg[role=img]");
    assert.equal(await picture.count(), 1);
    assert.match(await page.textContent("svg title"), /Family network of Noor Network-Test/);
    assert.match(await page.textContent("svg desc"), /2 people and 1 relationships/);
    assert.equal(await page.locator("svg circle").count(), 2, "Noor: a circle with a double outline");
    assert.equal(await page.locator("svg rect").count(), 1, "Sami: a square");
    const people = await page.textContent("table:has(caption:has-text('People in the family network'))");
    assert.match(people, /Noor Network-Test\s*This person/);
    assert.match(people, /Sami Network-Test\s*Same generation/);
    assert.match(people, /A contact awaiting decision/);
    const relationships = await page.textContent("table:has(caption:has-text('Relationships in the family network'))");
    assert.match(relationships, /Network-Test\s*is sibling of\s*\S+ Network-Test/);
    assert.match(await page.textContent("#chronology ~ .moj-timeline"), /Relationship recorded/);
    await checkAccessibility(page, "record with its family network");
    await screenshot(page, "family-network");
  });
});
