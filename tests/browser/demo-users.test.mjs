// Every demo user can sign in and gets their role's home page, which passes axe; a partner
// cannot open the contact queue.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, baseUrl, checkAccessibility } from "./lib/harness.mjs";

const USERS = [
  ["officer", "Contact officer"],
  ["social.worker", "MASH social worker"],
  ["manager", "Team manager"],
  ["manager.b", "Team manager"],
  ["early.help", "Early help coordinator"],
  ["partner", "Partner agency practitioner"],
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
