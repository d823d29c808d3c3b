// A quality-assurance audit in Debian's Chromium against `frontdoor demo`, from sampling to
// summary: the QA officer plans a thematic audit that samples children from the demo's records
// (the exception "decisions not authorised within one working day" when the demo has any, every
// child in the year otherwise) with a recorded seed, starts a case, is refused completion naming
// each question not graded, grades every question with a comment, gives the overall grade and
// findings, agrees an action with an owner and a due date, completes the case audit, and reads
// the audit's summary report. Every page on the way passes axe (WCAG 2.2 A/AA).
// Needs FRONTDOOR_BASE_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, as, baseUrl, checkAccessibility, DEMO_PASSWORD, londonNow, screenshot } from "./lib/harness.mjs";

async function token(username) {
  const session = await api("/api/session", { method: "POST", body: { username, password: DEMO_PASSWORD } });
  assert.equal(session.status, 201, `${username} signed in to the API`);
  return session.json.token;
}

function isoDate(date) {
  return date.toISOString().slice(0, 10);
}

test("a QA officer samples children, audits a case and reads the summary", async () => {
  const today = londonNow().date;
  const yearAgo = isoDate(new Date(Date.parse(today) - 365 * 24 * 3600 * 1000));
  const qa = await token("qa");
  const exception = await api(
    `/api/audits/exceptions/decisions-not-authorised-in-one-working-day?from=${yearAgo}&to=${today}`,
    { token: qa },
  );
  assert.equal(exception.status, 200, JSON.stringify(exception.json));
  const theme = exception.json.children.length > 0 ? "decisions_not_authorised_in_one_working_day" : "";

  await as("qa", async (page) => {
    await page.click("nav a:has-text('Audits')");
    await page.waitForSelector("h1:has-text('Quality assurance audits')");
    await checkAccessibility(page, "audits");

    await page.click("a:has-text('Plan an audit')");
    await page.waitForSelector("h1:has-text('Plan an audit')");
    await checkAccessibility(page, "plan an audit");
    // Refused with nothing chosen: each field named.
    await page.fill("#sample_size", "");
    await page.click("button:has-text('Plan the audit')");
    await page.waitForSelector(".govuk-error-summary");
    assert.match(await page.textContent(".govuk-error-summary"), /Give the audit a title/);
    await checkAccessibility(page, "plan refused");

    await page.fill("#title", "Front door decisions: browser audit");
    await page.check("input[name=kind][value=thematic]");
    await page.selectOption("#theme", theme);
    await page.fill("#from", yearAgo);
    await page.fill("#to", today);
    await page.fill("#sample_size", "2");
    await page.fill("#seed", "2026");
    await page.click("button:has-text('Plan the audit')");
    await page.waitForSelector(".govuk-notification-banner:has-text('Audit planned')");
    assert.match(await page.textContent("#audit-details"), /seed 2026/);
    const cases = await page.$$("#cases tbody tr");
    assert.ok(cases.length >= 1 && cases.length <= 2, `sampled ${cases.length}`);
    await checkAccessibility(page, "audit planned");
    const audit = new URL(page.url()).pathname;

    await page.click("#cases tbody tr:first-child a");
    await page.waitForSelector("h1:has-text('Case audit')");
    await checkAccessibility(page, "case audit planned");
    await page.click("button:has-text('Start the case audit')");
    await page.waitForSelector(".govuk-notification-banner:has-text('Case audit started')");

    // Completing with nothing graded names each question.
    await page.click("button:has-text('Complete the case audit')");
    await page.waitForSelector(".govuk-error-summary");
    const summary = await page.textContent(".govuk-error-summary");
    for (let n = 1; n <= 7; n++) assert.match(summary, new RegExp(`Grade question ${n} `));
    assert.match(summary, /overall grade/);
    await checkAccessibility(page, "completion refused");

    for (let n = 1; n <= 7; n++) {
      await page.check(`input[name='grade[${n}]'][value=${n === 3 ? "requires_improvement" : "good"}]`);
      await page.fill(`#comment-${n}`, n === 3 ? "The child's views are not recorded." : "Shown in the record.");
    }
    await page.check("input[name=overall_grade][value=requires_improvement]");
    await page.fill("#findings", "Timely, authorised decision with a clear rationale; the child's voice is missing.");
    await page.click("button:has-text('Save the answers')");
    await page.waitForSelector(".govuk-notification-banner:has-text('Answers saved')");

    await page.fill("#description", "Record the child's views at the next visit.");
    await page.selectOption("#owner", { label: "Morag Campbell" });
    await page.fill("#due_on", today);
    await page.click("button:has-text('Add the action')");
    await page.waitForSelector(".govuk-notification-banner:has-text('Action added')");
    assert.match(await page.textContent("#action-list"), /Morag Campbell/);

    await page.click("button:has-text('Complete the case audit')");
    await page.waitForSelector(".govuk-notification-banner:has-text('Case audit completed')");
    assert.match(await page.textContent("#case-state"), /Completed/);
    assert.match(await page.textContent("#overall"), /Requires improvement/);
    await screenshot(page, "case-audit");
    await checkAccessibility(page, "case audit completed");

    await page.goto(baseUrl(audit));
    await page.click("a:has-text('Summary report of this audit')");
    await page.waitForSelector("h1:has-text('Audit summary')");
    assert.match(await page.textContent("#report-total"), /1 of \d case audits? completed; 1 action outstanding/);
    assert.match(await page.textContent("#findings"), /the child's voice is missing/);
    assert.match(await page.textContent("#question-grades"), /views, wishes and feelings/);
    await screenshot(page, "audit-summary");
    await checkAccessibility(page, "audit summary");
  });
});
