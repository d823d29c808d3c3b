// Strategy discussions, episodes and work due in Debian's Chromium against `frontdoor demo`:
// a social worker writes up a strategy discussion to hold (unfinished), a manager's sign-off is
// refused naming what is missing, and every page on the way passes axe (WCAG 2.2 A/AA).
// Needs FRONTDOOR_BASE_URL (scripts/test.sh starts the demo server and sets it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, baseUrl, checkAccessibility } from "./lib/harness.mjs";

const PASSWORD = "frontdoor-demo";

async function signIn(page, username) {
  await page.goto(baseUrl("/sign-in"));
  await page.fill("#username", username);
  await page.fill("#password", PASSWORD);
  await page.click("button:has-text('Sign in')");
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

/** The London date and time now, as the forms take them. */
function londonNow() {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date()).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

test("a strategy discussion is written up, and its sign-off is refused while incomplete", async () => {
  let discussion;
  {
    const browser = await launch();
    try {
      const { page } = browser;
      await signIn(page, "manager");
      await page.goto(baseUrl("/work-due?scope=team"));
      await checkAccessibility(page, "work due (team)");
      discussion = await page.getAttribute("a[href^='/strategy-discussions/']", "href").catch(() => null);
      if (!discussion) {
        await page.goto(baseUrl("/work-due?scope=all"));
        await checkAccessibility(page, "work due (everyone)");
      }
    } finally {
      await browser.close();
    }
  }
  if (!discussion) {
    test.skip("the demo has no strategy discussion to hold in the manager's team");
    return;
  }

  {
    const browser = await launch();
    try {
      const { page } = browser;
      await signIn(page, "social.worker");
      await page.goto(baseUrl(discussion));
      await checkAccessibility(page, "strategy discussion to hold");
      const now = londonNow();
      await page.fill("#held_date", now.date);
      await page.fill("#held_time", now.time);
      await page.check("#decision-1");
      await page.fill("#rationale", "Bruising with an inconsistent account; police to investigate.");
      await page.fill("#actions-0-description", "Joint visit with police");
      await page.fill("#actions-0-owner", "Social worker and DS Khan");
      await page.fill("#actions-0-due_on", now.date);
      await page.click("button:has-text('Save the strategy discussion')");
      await page.waitForSelector(".govuk-notification-banner");
      await checkAccessibility(page, "strategy discussion saved, incomplete");
      await page.click(".govuk-caption-l a");
      await page.waitForSelector("h1");
      await checkAccessibility(page, "episode of need");
    } finally {
      await browser.close();
    }
  }

  {
    const browser = await launch();
    try {
      const { page } = browser;
      await signIn(page, "manager");
      await page.goto(baseUrl(discussion));
      await page.click("button:has-text('Sign off this strategy discussion')");
      await page.waitForSelector(".govuk-error-summary");
      const summary = await page.textContent(".govuk-error-summary");
      assert.match(summary, /Add the police participant, or record why the police did not take part\./);
      assert.match(summary, /Define at least one risk/);
      await checkAccessibility(page, "strategy discussion sign-off refused");
    } finally {
      await browser.close();
    }
  }
});
