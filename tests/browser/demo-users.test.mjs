// Every demo user can sign in and gets their role's home page, which passes axe; a partner
// cannot open the contact queue, and after making a referral sees its progress page (received,
// who to contact), never the working record.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, baseUrl, checkAccessibility } from "./lib/harness.mjs";

const USERS = [
  ["officer", "Contact officer"],
  ["social.worker", "MASH social worker"],
  ["newly.qualified", "MASH social worker"],
  ["manager", "Team manager"],
  ["manager.b", "Team manager"],
  ["early.help", "Early help coordinator"],
  ["partner", "Partner agency practitioner"],
  ["health.visitor", "Partner agency practitioner"],
  ["out.of.hours", "Out-of-hours worker"],
  ["qa", "Quality assurance officer"],
  ["senior", "Senior manager"],
  ["admin", "Administrator"],
];

test("each demo user signs in to their role's home page", async () => {
  const browser = await launch();
  try {
    const { page } = browser;
    for (const [username, role] of USERS) {
      await page.goto(baseUrl("/sign-in"));
      await page.fill("#username", username);
      await page.fill("#password", "frontdoor-demo");
      await page.click("button:has-text('Sign in')");
      await page.waitForSelector("h1");
      assert.equal((await page.textContent("h1")).trim(), `${role} home`);
      await checkAccessibility(page, `${username}'s home page`);
      if (username === "partner") {
        const queue = await page.goto(baseUrl("/contacts"));
        assert.equal(queue.status(), 403);
        await checkAccessibility(page, "refusal page");
        await page.goto(baseUrl("/contacts/new"));
        await page.selectOption("#source", "6");
        await page.fill("#referrer-name", "PC Sam Reed");
        await page.fill("#referrer-organisation", "Northshire Police");
        await page.fill("#children-0-given_name", "Ava");
        await page.fill("#children-0-family_name", "Partnerfollow");
        await page.fill("#children-0-date_of_birth", "2015-06-07");
        await page.check("#concern_categories-1");
        await page.fill("#concern_summary", "Officers attended a disturbance at the home overnight; Ava was present and frightened.");
        await page.check("#urgency-2");
        await page.check("#family_consent-1");
        await page.click("button:has-text('Record the contact')");
        await page.waitForSelector("h1");
        assert.match((await page.textContent("h1")).trim(), /^Referral FD-\d{4}-\d{6}$/);
        assert.match(await page.textContent("#stage"), /a decision is being made/);
        const progress = await page.textContent("main");
        assert.ok(!progress.includes("Rationale") && !progress.includes("Chronology"), "no working record");
        await checkAccessibility(page, "a partner's referral progress");
        await page.goto(baseUrl("/"));
      }
      if (username === "manager") {
        await page.goto(baseUrl("/contacts"));
        await checkAccessibility(page, "contact queue with the demo's history");
        await page.goto(baseUrl("/people/duplicates"));
        await checkAccessibility(page, "likely duplicates");
      }
      await page.click("button:has-text('Sign out')");
      await page.waitForURL((url) => url.pathname.startsWith("/sign-in"));
    }
  } finally {
    await browser.close();
  }
});
