// Drives the /__admin/ui dashboard of a running twin in headless Chromium, as a person would: the
// journal fills live, filters narrow it, an entry opens with redacted headers and a curl command,
// a webhook is redelivered, a Taler account's status is changed, a fault is injected and hit, and
// everything is reset. Screenshots of each view go to the given folder.
//
// Usage: node dashboard.mjs BASE_URL SCREENSHOT_DIR   (run by tests/tests/it/dashboard.rs, which
// starts the twin and makes the requests and deliveries the page is expected to show)
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [base, shots] = process.argv.slice(2);
assert.ok(base && shots, "usage: node dashboard.mjs BASE_URL SCREENSHOT_DIR");
mkdirSync(shots, { recursive: true });
// The whole run is bounded, whatever hangs.
setTimeout(() => {
  console.error("the dashboard run took more than 120 s");
  process.exit(3);
}, 120_000).unref();

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  // As root in a container Chromium needs --no-sandbox; the others keep it off the network
  // (this machine has none, and the page must not need any).
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const external = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(10_000);
  page.on("request", (request) => {
    if (!request.url().startsWith(base)) external.push(request.url());
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));

  // ---- the journal, live ----
  await page.goto(base + "/__admin/ui");
  await page.locator("#journal tr.entry td.path", { hasText: "/kasisto/token" }).first().waitFor();
  await page.screenshot({ path: join(shots, "1-journal.png"), fullPage: true });
  const config = await fetch(base + "/taler/config");
  assert.equal(config.status, 200);
  // Polled, not reloaded: the new request shows up by itself.
  await page.locator("#journal tr.entry td.path", { hasText: "/taler/config" }).first().waitFor();

  // ---- filters ----
  await page.selectOption("#filter-provider", "taler");
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll("#journal tr.entry")];
    return rows.length > 0 && rows.every((row) => row.dataset.provider === "taler");
  });
  await page.selectOption("#filter-provider", "");
  await page.fill("#filter-status", "4xx");
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll("#journal tr.entry")];
    return rows.length > 0 && rows.every((row) => row.dataset.status.startsWith("4"));
  });
  await page.fill("#filter-status", "");
  await page.fill("#filter-path", "/kasisto/token");
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll("#journal tr.entry")];
    return rows.length > 0 && rows.every((row) => row.querySelector("td.path").textContent.includes("/kasisto/token"));
  });

  // ---- one entry, opened ----
  await page.locator("#journal tr.entry").first().click();
  const detail = page.locator("#journal tr.detail").first();
  await detail.waitFor();
  const requestHeaders = await detail.locator(".request-headers").textContent();
  assert.match(requestHeaders, /secret: \[redacted\]/, "the shared secret is redacted");
  assert.doesNotMatch(requestHeaders, /kasisto-demo-secret/);
  const curl = await detail.locator(".curl").textContent();
  assert.match(curl, /^curl -X 'POST' '.*\/kasisto\/token'/);
  assert.match(curl, /--data-raw '\{.*joe\.tester/);
  await detail.locator("button", { hasText: "copy as curl" }).click();
  await detail.locator("button", { hasText: "copied" }).waitFor();
  await page.screenshot({ path: join(shots, "2-request-detail.png"), fullPage: true });
  await page.fill("#filter-path", "");

  // ---- copy as curl is shell-safe: a hostile method, path, header and body, pasted into sh ----
  const planted = mkdtempSync(join(tmpdir(), "fintwin-curl-"));
  await new Promise((resolve, reject) => {
    // Raw, so the method goes as written (Node's client upper-cases it).
    const url = new URL(base);
    const socket = connect(Number(url.port), url.hostname, () => {
      const body = "'; touch b; '";
      // Written, not ended: a half-closed socket lets the server drop the request before it is
      // answered (and journaled); `connection: close` has the server close once it has answered.
      socket.write(
        "get`touch$IFS'm'` /kasisto/hostile$(touch$IFS'p') HTTP/1.1\r\nhost: " + url.host +
        "\r\nx-planted: $(touch h) `touch h`\r\nconnection: close\r\ncontent-length: " + body.length + "\r\n\r\n" + body,
      );
    });
    socket.on("data", () => {});
    socket.on("close", resolve);
    socket.on("error", reject);
  });
  // In the journal before the page is asked to show it (bounded; the paths seen say why if not).
  let seen = [];
  for (let i = 0; i < 100 && !seen.some((path) => path.startsWith("/kasisto/hostile")); i++) {
    const journal = await (await fetch(base + "/__admin/requests")).json();
    seen = journal.entries.map((entry) => entry.path);
    if (!seen.some((path) => path.startsWith("/kasisto/hostile"))) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(seen.some((path) => path.startsWith("/kasisto/hostile")), `the hostile request is not journaled: ${seen}`);
  await page.fill("#filter-path", "/kasisto/hostile");
  await page.locator("#journal tr.entry td.path", { hasText: "/kasisto/hostile" }).first().click({ timeout: 20_000 });
  const hostileCurl = await page.locator("#journal tr.detail .curl").first().textContent();
  // `curl` is a function that prints its arguments: pasting the command must run nothing else.
  const words = execFileSync("sh", ["-c", `curl() { printf '%s\\n' "$@"; }; ${hostileCurl}`], { cwd: planted }).toString();
  assert.deepEqual(readdirSync(planted), [], `the pasted command ran something: ${hostileCurl}`);
  assert.match(words, /^get`touch\$IFS'm'`$/m, words);
  assert.match(words, /x-planted: \$\(touch h\) `touch h`/, words);
  assert.ok(existsSync(planted));
  await page.fill("#filter-path", "");

  // ---- webhooks: attempts, and a redelivery ----
  await page.click("nav.tabs button[data-tab=webhooks]");
  const deliveries = page.locator("#webhooks tr.delivery");
  await page.locator("#webhooks tr.delivery[data-state=delivered]").first().waitFor();
  const before = await deliveries.count();
  const first = page.locator("#webhooks tr.delivery[data-state=delivered]").first();
  const redelivered = await first.getAttribute("data-id");
  await first.click();
  await page.locator("#webhooks tr.detail td", { hasText: "Attempts" }).first().waitFor();
  await first.locator("button.redeliver").click();
  await page.waitForFunction((count) => document.querySelectorAll("#webhooks tr.delivery").length === count + 1, before);
  await page.locator("#webhooks tr.delivery", { hasText: `redelivery of #${redelivered}` }).waitFor();
  await page.locator("#webhooks tr.delivery[data-state=delivered]", { hasText: `redelivery of #${redelivered}` }).waitFor();
  await page.screenshot({ path: join(shots, "3-webhooks.png"), fullPage: true });

  // ---- providers: state at a glance, and a control that changes it ----
  await page.click("nav.tabs button[data-tab=providers]");
  const otp = page.locator("#kasisto-sessions td.otp").first();
  await otp.waitFor();
  assert.match(await otp.textContent(), /^\d{4,8}$/, "the current OTP of the session that got a 450");
  const account = page.locator('#taler-accounts tr[data-instance="default"]').first();
  await account.waitFor();
  const seeded = (await account.locator(".kyc-status").textContent()).trim();
  const exchange = await account.getAttribute("data-exchange");
  const row = `#taler-accounts tr[data-instance="default"][data-exchange="${exchange}"]`;
  assert.notEqual(seeded, "ready");
  await account.locator("select[name=status]").selectOption("ready");
  await account.locator("button", { hasText: "apply" }).click();
  await page.locator(`${row} .kyc-status`, { hasText: "ready" }).waitFor();
  const taler = await (await fetch(base + "/__admin/state/taler")).json();
  const statuses = Object.values(taler.instances.default.kyc).map((entry) => entry.status);
  assert.ok(statuses.includes("ready"), `the admin API agrees: ${statuses}`);
  // A change scheduled with after_ms is listed until it is due (the reset at the end drops it).
  const later = Object.values(taler.instances.default.kyc)[0];
  const scheduling = await fetch(base + "/__admin/taler/instances/default/kyc", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ h_wire: later.h_wire, exchange_url: later.exchange_url, status: "awaiting-aml-review", after_ms: 600000 }),
  });
  assert.equal(scheduling.status, 200);
  await page.locator("#taler-scheduled td", { hasText: "awaiting-aml-review" }).waitFor();

  // PTI: decide the pending KYC from the page.
  const decide = page.locator("#pti-decide");
  await decide.locator("select[name=status]").selectOption("ACCEPTED");
  await decide.locator("input[name=tier]").fill("2");
  await decide.locator("button[type=submit]").click();
  const ptiUser = page.locator(`#pti-users tr[data-user="${process.env.PTI_CLIENT}/u-ui"]`);
  await ptiUser.locator("td", { hasText: "kyc-ui: ACCEPTED" }).waitFor();
  assert.equal((await ptiUser.locator("td").nth(2).textContent()).trim(), "2", "the tier decided");
  const pti = await (await fetch(base + "/__admin/state/pti")).json();
  assert.equal(pti.kycs[`${process.env.PTI_CLIENT}/kyc-ui`].status, "ACCEPTED");

  // Particeep: validate the KYC group waiting for it, and settle the card payment.
  const group = page.locator(`.particeep-kycs tr[data-group="USER/${process.env.PARTICEEP_OWNER}"]`);
  assert.equal((await group.locator(".kyc-status").textContent()).trim(), "ASK_VALIDATION");
  await group.locator("button.validate").click();
  await page.locator(`.particeep-kycs tr[data-group="USER/${process.env.PARTICEEP_OWNER}"] .kyc-status`, { hasText: "VALIDATED" }).waitFor();
  const payments = page.locator("#provider-particeep button", { hasText: "succeed" });
  assert.equal(await payments.count(), 1, "one card payment waits");
  await payments.first().click();
  await page.waitForFunction(() => ![...document.querySelectorAll("#provider-particeep button")].some((b) => b.textContent === "succeed"));
  await page.screenshot({ path: join(shots, "4-providers.png"), fullPage: true });

  // ---- faults: injected from the page, hit by a client ----
  await page.click("nav.tabs button[data-tab=faults]");
  await page.selectOption("#fault-form select[name=provider]", "taler");
  await page.fill("#fault-form input[name=path]", "/config");
  await page.selectOption("#fault-form select[name=respond]", "503");
  await page.fill("#fault-form input[name=times]", "2");
  await page.click("#fault-form button[type=submit]");
  await page.locator("#faults tbody tr").first().waitFor();
  const faulted = await fetch(base + "/taler/config");
  assert.equal(faulted.status, 503, "the injected fault answers");
  // Hit once of twice: the row counts the hit and the one left.
  await page.waitForFunction(() => {
    const cells = document.querySelectorAll("#faults tbody tr td");
    return cells[5]?.textContent === "1" && cells[6]?.textContent === "1";
  });
  await page.screenshot({ path: join(shots, "5-faults.png"), fullPage: true });

  // ---- reset ----
  await page.click("#reset-all");
  await page.locator("#faults tbody tr").first().waitFor({ state: "detached" });
  await page.click("nav.tabs button[data-tab=providers]");
  await page.locator(`${row} .kyc-status`, { hasText: seeded }).waitFor();
  await page.locator("#taler-scheduled").waitFor({ state: "detached" });
  const afterReset = await (await fetch(base + "/__admin/state/taler")).json();
  assert.deepEqual(afterReset.scheduled, [], "the reset dropped the scheduled change");

  assert.deepEqual(errors, [], "no script error on the page");
  assert.deepEqual(external, [], "no request leaves the twin");
  console.log(`dashboard: every check passed; screenshots in ${shots}`);
} finally {
  await browser.close();
}
