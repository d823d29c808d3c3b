// Browser-test harness: Debian's Chromium driven by playwright-core (no downloaded
// browser, no ChromeDriver), with an axe-core accessibility check and screenshots.
//
// Environment:
//   FRONTDOOR_BASE_URL     the server under test, e.g. http://127.0.0.1:41234 (see baseUrl())
//   FRONTDOOR_CHROMIUM     Chromium executable (default /usr/lib/chromium/chromium, then /usr/bin/chromium)
//   FRONTDOOR_SCREENSHOTS  folder for screenshots (default /tmp/frontdoor-screenshots)
//   FRONTDOOR_HEADED=1     show the browser window (needs a display)

import assert from "node:assert/strict";
import { access, constants, mkdir, mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axe = require("axe-core");

/** The WCAG 2.2 AA rule tags (axe has no separate wcag22a tag). */
export const WCAG_TAGS = Object.freeze(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]);

const DEBIAN_CHROMIUM = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function isExecutable(file) {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium executable to drive: FRONTDOOR_CHROMIUM, or Debian's package. */
export async function chromiumPath() {
  const fromEnv = process.env.FRONTDOOR_CHROMIUM;
  if (fromEnv) {
    if (await isExecutable(fromEnv)) return fromEnv;
    throw new Error(`FRONTDOOR_CHROMIUM=${fromEnv} is not an executable file`);
  }
  for (const candidate of DEBIAN_CHROMIUM) {
    if (await isExecutable(candidate)) return candidate;
  }
  throw new Error(
    `Chromium not found at ${DEBIAN_CHROMIUM.join(" or ")}: run scripts/install-browser.sh ` +
      "or set FRONTDOOR_CHROMIUM",
  );
}

/**
 * The base URL of the server under test, from FRONTDOOR_BASE_URL (no trailing slash).
 * With a path, returns the absolute URL of that path: baseUrl("/queue").
 */
export function baseUrl(pathname = "") {
  const base = process.env.FRONTDOOR_BASE_URL;
  if (!base) {
    throw new Error(
      "FRONTDOOR_BASE_URL is not set: start `frontdoor demo` on a free port and set it to " +
        "that server's address (e.g. http://127.0.0.1:PORT)",
    );
  }
  const trimmed = base.replace(/\/+$/, "");
  return pathname ? new URL(pathname, `${trimmed}/`).href : trimmed;
}

/**
 * Launch headless Chromium with a fresh profile in a temporary folder (user data,
 * XDG_CONFIG_HOME and XDG_CACHE_HOME all inside it, so nothing is written to $HOME).
 *
 * Returns { context, page, newPage(), close() }: `context` is a Playwright
 * BrowserContext, `page` its first page. Always call close() (it removes the folder).
 */
export async function launch({ viewport = { width: 1280, height: 900 }, locale = "en-GB", javaScriptEnabled = true } = {}) {
  const executablePath = await chromiumPath();
  const tempRoot = await mkdtemp(path.join(os.tmpdir(), "frontdoor-chromium-"));
  const userDataDir = path.join(tempRoot, "profile");
  const xdgConfig = path.join(tempRoot, "config");
  const xdgCache = path.join(tempRoot, "cache");
  await Promise.all([userDataDir, xdgConfig, xdgCache].map((dir) => mkdir(dir, { recursive: true })));

  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: process.env.FRONTDOOR_HEADED !== "1",
      args: CHROMIUM_ARGS,
      env: { ...process.env, XDG_CONFIG_HOME: xdgConfig, XDG_CACHE_HOME: xdgCache },
      viewport,
      locale,
      timezoneId: "Europe/London",
      javaScriptEnabled,
      timeout: 30_000,
    });
  } catch (error) {
    await rm(tempRoot, { recursive: true, force: true });
    throw error;
  }
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());

  let closed = false;
  return {
    context,
    page,
    newPage: () => context.newPage(),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        await rm(tempRoot, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Collect what goes wrong in a page while a test drives it: console errors, uncaught
 * exceptions and failed requests (a CSP violation shows as a console error).
 * Returns an array that fills as the page runs.
 */
export function collectPageErrors(page) {
  const errors = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`exception: ${error.message}`));
  page.on("requestfailed", (request) =>
    errors.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? "unknown"})`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return errors;
}

// axe-core's source is evaluated over the DevTools protocol rather than added with
// page.addScriptTag({content}): frontdoor's Content-Security-Policy forbids inline script,
// so a script tag would be refused (and log a CSP error), while DevTools evaluation is not
// subject to the page's CSP. The effect is the same: window.axe in the page's main world.
async function injectAxe(page) {
  if (await page.evaluate(() => typeof window.axe === "object")) return;
  await page.evaluate(axe.source);
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    throw new Error("could not inject axe-core into the page");
  }
}

function formatViolations(label, url, violations) {
  const lines = [`${label}: ${violations.length} accessibility violation(s) at ${url}`];
  for (const violation of violations) {
    lines.push(`- ${violation.id} [${violation.impact ?? "unknown impact"}] ${violation.help}`);
    lines.push(`  ${violation.helpUrl}`);
    for (const node of violation.nodes) {
      lines.push(`    at ${node.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : t)).join(" | ")}`);
    }
  }
  return lines.join("\n");
}

/**
 * A known false positive, for use in `allow`: GOV.UK Frontend's accordion script builds
 * each section button as <span>Heading</span><span hidden>, </span><span>Show</span>
 * with aria-label "Heading , Show this section". axe-core 4.14 joins the visible spans
 * without a space ("HeadingShow") and reports label-content-name-mismatch (WCAG 2.5.3),
 * although heading and toggle are on separate lines and both words are in the name.
 */
export const GOVUK_ACCORDION_LABEL_IN_NAME = Object.freeze({
  rule: "label-content-name-mismatch",
  selector: ".govuk-accordion__section-button",
  reason: "axe joins the accordion button's heading and Show/Hide spans without a space",
});

/**
 * Run axe-core's WCAG 2.2 AA rules on the page as it is now. Throws an Error listing every
 * violation (rule id, impact, help text, target selectors); throws too when no rule passed,
 * since an unknown tag makes axe run nothing without complaint.
 *
 * Options:
 *   tags   the axe rule tags to run (default WCAG_TAGS)
 *   allow  [{ rule, selector, reason }]: a violation of `rule` on an element matching the
 *          CSS `selector` is not a failure (each needs a reason; keep the list short)
 *
 * Returns { passes, violations: 0, incomplete, allowed } when the page is clean.
 */
export async function checkAccessibility(page, label = "page", { tags = WCAG_TAGS, allow = [] } = {}) {
  for (const allowance of allow) {
    if (!allowance?.rule || !allowance?.selector || !allowance?.reason) {
      throw new Error(`${label}: each allowance needs rule, selector and reason`);
    }
  }
  await injectAxe(page);
  const result = await page.evaluate(
    async ({ runTags, allowances }) => {
      const r = await window.axe.run(document, {
        runOnly: { type: "tag", values: runTags },
        resultTypes: ["violations"],
        elementRef: true,
      });
      let allowed = 0;
      const violations = [];
      for (const v of r.violations) {
        const nodes = v.nodes.filter((n) => {
          const excused = allowances.some(
            (a) => a.rule === v.id && n.element instanceof Element && n.element.matches(a.selector),
          );
          if (excused) allowed += 1;
          return !excused;
        });
        if (nodes.length > 0) {
          violations.push({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: nodes.map((n) => ({ target: n.target })),
          });
        }
      }
      return { passes: r.passes.length, incomplete: r.incomplete.length, allowed, violations };
    },
    { runTags: [...tags], allowances: allow.map(({ rule, selector }) => ({ rule, selector })) },
  );

  if (result.violations.length > 0) {
    throw new Error(formatViolations(label, page.url(), result.violations));
  }
  if (result.passes === 0) {
    throw new Error(
      `${label}: axe-core ran no rule that passed at ${page.url()} (tags ${tags.join(", ")}): ` +
        "an unknown tag runs nothing, or the page is empty",
    );
  }
  return { passes: result.passes, violations: 0, incomplete: result.incomplete, allowed: result.allowed };
}

/** The folder screenshots go to: FRONTDOOR_SCREENSHOTS or /tmp/frontdoor-screenshots. */
export function screenshotDir() {
  return process.env.FRONTDOOR_SCREENSHOTS || "/tmp/frontdoor-screenshots";
}

/** Save a full-page PNG screenshot as <dir>/<name>.png and return its path. */
export async function screenshot(page, name) {
  const safeName = String(name).replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "page";
  const dir = screenshotDir();
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${safeName}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// ---- The demo server's users, its JSON API and its forms (`frontdoor demo`). ----

/** The password of every demo user. */
export const DEMO_PASSWORD = "frontdoor-demo";

/**
 * Sign in as the demo user `username` through the sign-in form; with `check`, the sign-in
 * page must pass axe first.
 */
export async function signIn(page, username, { check = false } = {}) {
  await page.goto(baseUrl("/sign-in"));
  if (check) await checkAccessibility(page, "sign-in page");
  await page.fill("#username", username);
  await page.fill("#password", DEMO_PASSWORD);
  await page.click("button:has-text('Sign in')");
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

/**
 * Sign in as `username` in a fresh browser (options as for signIn), run `steps(page)` and
 * return what it returns; the browser is always closed.
 */
export async function as(username, steps, options) {
  const browser = await launch();
  try {
    await signIn(browser.page, username, options);
    return await steps(browser.page);
  } finally {
    await browser.close();
  }
}

/** Call the JSON API (with a bearer `token` if given): { status, json }. */
export async function api(pathname, { token, method = "GET", body } = {}) {
  const response = await fetch(baseUrl(pathname), {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/**
 * Record `contact` through the API as the demo user `username` (as a partner system would)
 * and link its first child to a new record: { id, subject }.
 */
export async function linkedContact(username, contact) {
  const session = await api("/api/session", { method: "POST", body: { username, password: DEMO_PASSWORD } });
  assert.equal(session.status, 201, "signed in to the API");
  const token = session.json.token;
  const created = await api("/api/contacts", { token, method: "POST", body: contact });
  assert.equal(created.status, 201, "contact recorded");
  const id = created.json.id;
  const view = await api(`/api/contacts/${id}`, { token });
  const subject = view.json.subjects[0].subject.id;
  const linked = await api(`/api/contacts/${id}/subjects/${subject}/link`, { token, method: "POST", body: { create: true } });
  assert.equal(linked.status, 200, "child linked to a new record");
  return { id, subject };
}

/** The London date and time now, as the forms take them. */
export function londonNow() {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date()).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/**
 * On a strategy discussion to hold: write it up as held now, deciding on a section 47 enquiry
 * with `rationale` and one action but no participants or risks, and save it (incomplete).
 */
export async function saveIncompleteStrategyDiscussion(page, rationale) {
  const now = londonNow();
  await page.fill("#held_date", now.date);
  await page.fill("#held_time", now.time);
  await page.check("input[name=decision][value=section_47_enquiry]");
  await page.fill("#rationale", rationale);
  await page.fill("#actions-0-description", "Joint visit with police");
  await page.fill("#actions-0-owner", "Social worker and DS Khan");
  await page.fill("#actions-0-due_on", now.date);
  await page.click("button:has-text('Save the strategy discussion')");
  await page.waitForSelector(".govuk-notification-banner");
  await checkAccessibility(page, "strategy discussion saved, incomplete");
}

/**
 * On a contact's information requests page: ask Northshire Police `questions` about the child
 * `subject`, with the family's consent (who gave it and when are left to the caller).
 */
export async function askNorthshirePolice(page, subject, questions) {
  await page.selectOption("#subject", subject);
  await page.selectOption("#organisation", { label: "Northshire Police" });
  await page.selectOption("#agency", "police");
  await page.fill("#questions", questions);
  await page.check("input[name=consent][value=consent_given]");
}

/**
 * On an information request form already filled in: consent given today by `givenBy`, a
 * standard request; send it, see it sent, and check the page with axe (as `label`).
 */
export async function sendWithConsent(page, givenBy, label) {
  await page.check("input[name=consent][value=consent_given]");
  await page.fill("#consent_given_by", givenBy);
  await page.fill("#consent_given_on", londonNow().date);
  await page.check("input[name=urgency][value=standard]");
  await page.click("button:has-text('Send request')");
  await page.waitForSelector(".govuk-notification-banner");
  assert.match(await page.textContent("main"), /Request sent/);
  await checkAccessibility(page, label);
}

/** On a request in the partner portal (which must pass axe): send `answer`, and see it sent. */
export async function answerInPortal(page, answer) {
  await checkAccessibility(page, "partner portal request");
  await page.fill("#answer", answer);
  await page.click("button:has-text('Send answer')");
  await page.waitForSelector(".govuk-notification-banner");
  assert.match(await page.textContent("main"), /Answer sent/);
  await checkAccessibility(page, "partner portal request answered");
}
