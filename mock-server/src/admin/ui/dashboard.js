// fintwin dashboard: reads and drives the admin API (/__admin) of the twin that serves it.
// No framework and no build step: the page is plain DOM, polled once a second, and every control
// is one admin API call, so what a click does is what a script could do with curl.
"use strict";

const ADMIN = "/__admin";
const POLL_MS = 1000;
const META = JSON.parse(document.getElementById("meta").textContent);

const state = {
  tab: "requests",
  providers: [],
  expandedRequests: new Set(),
  expandedDeliveries: new Set(),
  shown: { requests: "", webhooks: "", faults: "", providers: "" },
};

// ---- small helpers ---------------------------------------------------------------------------

/** Builds an element: `el("td", {class: "num"}, "12")`. Strings become text, never HTML. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function statusClass(status) {
  return "badge s" + String(status).charAt(0) + "xx";
}

function say(message, isError = false) {
  const line = document.getElementById("status");
  line.textContent = message;
  line.style.color = isError ? "var(--bad)" : "";
}

/** One admin call. Sends the token when one was given; answers the parsed JSON (or null). */
async function admin(method, path, body) {
  const headers = {};
  const token = sessionStorage.getItem("fintwin-admin-token");
  if (token) headers.authorization = "Bearer " + token;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(ADMIN + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { error: text };
  }
  if (response.status === 403 && json && /token/.test(json.error || "")) {
    document.getElementById("token-notice").hidden = false;
  }
  if (!response.ok) {
    const message = (json && (json.error || json.message)) || response.statusText;
    throw new Error(`${method} ${ADMIN}${path}: ${response.status} ${message}`);
  }
  return json;
}

/** Runs a control's call, then refreshes what it changed; errors go to the status line. */
async function control(label, call) {
  try {
    await call();
    say(label);
    state.shown.providers = "";
    state.shown.faults = "";
    state.shown.webhooks = "";
    await refresh();
  } catch (error) {
    say(error.message, true);
  }
}

/** A shell word: the text in single quotes, with its own single quotes escaped. */
function shellQuote(text) {
  return "'" + String(text).replace(/'/g, "'\\''") + "'";
}

const CURL_SKIPPED_HEADERS = new Set(["host", "content-length", "connection", "accept-encoding"]);

/** The request of a journal entry as a curl command (redacted secrets stay redacted). */
function curlOf(entry) {
  const url = location.origin + entry.path + (entry.query ? "?" + entry.query : "");
  // Every part quoted, the method too: a journal entry records whatever method a peer sent.
  const words = ["curl", "-X", shellQuote(entry.method), shellQuote(url)];
  for (const [name, value] of entry.request_headers) {
    if (!CURL_SKIPPED_HEADERS.has(name.toLowerCase())) words.push("-H", shellQuote(`${name}: ${value}`));
  }
  if (entry.request_body) words.push("--data-raw", shellQuote(entry.request_body));
  return words.join(" ");
}

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (plain http on another host, a headless browser): select the text
    // so Ctrl-C copies it.
    const area = el("textarea", {}, text);
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  button.textContent = "copied";
  setTimeout(() => (button.textContent = "copy as curl"), 1500);
}

function headersText(headers) {
  return headers.map(([name, value]) => `${name}: ${value}`).join("\n");
}

function pretty(body) {
  if (!body) return "(empty)";
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

// ---- requests (the journal) -----------------------------------------------------------------

// Refreshes can overlap (the poll and a filter being typed): only the latest one asked renders, so
// an older answer (another filter, an earlier moment) never replaces a newer one.
let requestsAsked = 0;

async function refreshRequests() {
  const asked = ++requestsAsked;
  const query = new URLSearchParams({ limit: "200" });
  const provider = document.getElementById("filter-provider").value;
  const path = document.getElementById("filter-path").value.trim();
  const status = document.getElementById("filter-status").value.trim();
  if (provider) query.set("provider", provider);
  if (path) query.set("path", path);
  if (status) query.set("status", status);
  const journal = await admin("GET", "/requests?" + query);
  if (asked !== requestsAsked) return;
  const shown = JSON.stringify([query.toString(), journal.entries.map((e) => e.id), [...state.expandedRequests]]);
  if (shown === state.shown.requests) return;
  state.shown.requests = shown;
  document.getElementById("journal-count").textContent = journal.enabled
    ? `${journal.entries.length} shown of ${journal.total} kept`
    : "the journal is off (journal.enabled: false)";
  const rows = [];
  for (const entry of journal.entries) {
    const open = state.expandedRequests.has(entry.id);
    rows.push(
      el(
        "tr",
        {
          class: "entry",
          dataset: { id: entry.id, provider: entry.provider, status: entry.status },
          "aria-expanded": String(open),
          onclick: () => {
            if (open) state.expandedRequests.delete(entry.id);
            else state.expandedRequests.add(entry.id);
            state.shown.requests = "";
            refreshRequests().catch((error) => say(error.message, true));
          },
        },
        el("td", { class: "num" }, entry.id),
        el("td", {}, entry.at.replace("T", " ").slice(0, 23)),
        el("td", {}, entry.provider),
        el("td", {}, entry.method),
        el("td", { class: "path" }, entry.path + (entry.query ? "?" + entry.query : "")),
        el("td", {}, el("span", { class: statusClass(entry.status) }, entry.status || "cut"), entry.fault ? el("span", { class: "tag" }, "fault: " + entry.fault) : null),
        el("td", { class: "num" }, entry.duration_ms.toFixed(1)),
      ),
    );
    if (open) rows.push(requestDetail(entry));
  }
  document.querySelector("#journal tbody").replaceChildren(...rows);
}

function requestDetail(entry) {
  const curl = curlOf(entry);
  const copy = el("button", { class: "action", type: "button", onclick: (event) => copyText(curl, event.target) }, "copy as curl");
  return el(
    "tr",
    { class: "detail", dataset: { detailOf: entry.id } },
    el(
      "td",
      { class: "detail", colspan: "7" },
      el("div", { class: "grid" },
        el("div", {}, el("h3", {}, "Request"), el("pre", { class: "request-headers" }, headersText(entry.request_headers)), el("pre", { class: "request-body" }, pretty(entry.request_body))),
        el("div", {}, el("h3", {}, "Response"), el("pre", { class: "response-headers" }, headersText(entry.response_headers)), el("pre", { class: "response-body" }, pretty(entry.response_body))),
      ),
      el("p", {}, copy, " ", el("span", { class: "muted" }, "secrets are shown redacted: put your own back before running it")),
      el("pre", { class: "curl" }, curl),
    ),
  );
}

// ---- webhooks --------------------------------------------------------------------------------

async function refreshWebhooks() {
  const { deliveries } = await admin("GET", "/webhooks");
  const shown = JSON.stringify([deliveries.map((d) => [d.id, d.state, d.attempts.length]), [...state.expandedDeliveries]]);
  if (shown === state.shown.webhooks) return;
  state.shown.webhooks = shown;
  const rows = [];
  for (const delivery of deliveries) {
    const open = state.expandedDeliveries.has(delivery.id);
    const last = delivery.attempts[delivery.attempts.length - 1];
    rows.push(
      el(
        "tr",
        {
          class: "entry delivery",
          dataset: { id: delivery.id, state: delivery.state },
          onclick: (event) => {
            if (event.target.closest("button")) return;
            if (open) state.expandedDeliveries.delete(delivery.id);
            else state.expandedDeliveries.add(delivery.id);
            state.shown.webhooks = "";
            refreshWebhooks().catch((error) => say(error.message, true));
          },
        },
        el("td", { class: "num" }, delivery.id),
        el("td", {}, delivery.provider),
        el("td", {}, delivery.ordering_key),
        el("td", {}, delivery.url || "—", delivery.note ? el("div", { class: "muted" }, delivery.note) : null),
        el("td", {}, el("span", { class: "badge " + delivery.state }, delivery.state)),
        el("td", { class: "num attempts" }, delivery.attempts.length, last ? el("span", { class: "muted" }, " last: " + (last.status ?? last.error)) : null),
        el(
          "td",
          {},
          el(
            "button",
            {
              class: "action redeliver",
              type: "button",
              disabled: !delivery.url,
              title: delivery.url ? "send the same message again" : "never sent: no URL",
              onclick: () => control(`delivery ${delivery.id} queued again`, () => admin("POST", `/webhooks/${delivery.id}/redeliver`)),
            },
            "redeliver",
          ),
        ),
      ),
    );
    if (open) {
      const attempts = delivery.attempts.map((a) =>
        el("tr", {}, el("td", { class: "num" }, a.number), el("td", {}, a.at), el("td", {}, a.status ? el("span", { class: statusClass(a.status) }, a.status) : a.error), el("td", { class: "num" }, a.duration_ms.toFixed(1))),
      );
      rows.push(
        el("tr", { class: "detail" },
          el("td", { class: "detail", colspan: "7" },
            el("h3", {}, "Attempts"),
            attempts.length
              ? el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "#"), el("th", {}, "at"), el("th", {}, "answer"), el("th", { class: "num" }, "ms"))), el("tbody", {}, attempts))
              : el("p", { class: "muted" }, "none yet"),
            el("h3", {}, "Message (in clear)"),
            el("pre", {}, JSON.stringify(delivery.summary, null, 2)),
          ),
        ),
      );
    }
  }
  document.querySelector("#webhooks tbody").replaceChildren(...rows);
}

// ---- providers -------------------------------------------------------------------------------

function table(headings, rows, attributes = {}) {
  if (!rows.length) return el("p", { class: "muted" }, "none");
  return el("table", attributes, el("thead", {}, el("tr", {}, headings.map((h) => el("th", {}, h)))), el("tbody", {}, rows));
}

function select(name, options, selected) {
  return el("select", { name }, options.map((o) => el("option", { value: o, selected: o === selected }, o)));
}

const PTI_STATUSES = {
  kyc: ["ACCEPTED", "REFUSED", "UNDER_REVIEW"],
  transaction: ["ACCEPT", "DENY", "MANUAL_REVIEW"],
  payment: ["AUTHORIZED", "SETTLED", "REFUSED"],
};

function ptiCard(data) {
  const pending = [];
  for (const [key, kyc] of Object.entries(data.kycs)) {
    if (kyc.status === "PENDING") pending.push({ key, kind: "kyc", user: kyc.user_id });
  }
  for (const [key, t] of Object.entries(data.transactions)) {
    if (t.kind === "transactionLog" && t.status === "PENDING") pending.push({ key, kind: "transaction", user: t.user_id });
    if (t.kind === "funding" && (t.status === "PENDING" || t.status === "AUTHORIZED")) pending.push({ key, kind: "payment", user: t.user_id });
  }
  const users = Object.entries(data.users).map(([key, user]) => {
    const [client] = key.split("/");
    const latest = user.latest_kyc ? data.kycs[`${client}/${user.latest_kyc}`] : null;
    const waiting = pending.filter((p) => p.key.startsWith(client + "/") && p.user === user.user.id);
    return el("tr", { dataset: { user: key } },
      el("td", {}, key),
      el("td", {}, user.status),
      el("td", { class: "num" }, user.kyc_tier),
      el("td", {}, latest ? `${user.latest_kyc}: ${latest.status}` : "—"),
      el("td", {}, waiting.map((p) => el("span", { class: "badge pending" }, `${p.kind} ${p.key.split("/")[1]}`))),
    );
  });
  const form = el("form", { class: "inline", id: "pti-decide" },
    "Decide ",
    el("select", { name: "request" }, pending.map((p) => el("option", { value: `${p.kind} ${p.key}` }, `${p.kind} ${p.key}`))),
    el("select", { name: "status" }, [...new Set(Object.values(PTI_STATUSES).flat())].map((s) => el("option", { value: s }, s))),
    el("input", { name: "tier", type: "number", min: "0", placeholder: "tier", size: "4" }),
    el("button", { class: "action", type: "submit", disabled: !pending.length }, "decide"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = new FormData(form);
    const [kind, key] = String(values.get("request")).split(" ");
    const [client_id, request_id] = key.split("/");
    const decision = { kind, client_id, request_id, status: values.get("status") };
    if (values.get("tier")) decision.tier = Number(values.get("tier"));
    control(`PTI ${request_id}: ${decision.status}`, () => admin("POST", "/pti/decisions", decision));
  });
  return [
    el("h3", {}, "Users"),
    table(["client/user", "status", "KYC tier", "latest KYC", "pending results"], users, { id: "pti-users" }),
    pending.length ? form : el("p", { class: "muted" }, "No result pending: a decision can also be made ahead with POST /__admin/pti/decisions."),
  ];
}

function kasistoCard(data) {
  const sessions = Object.entries(data.sessions).map(([id, session]) => {
    const otp = session.otp;
    return el("tr", { dataset: { session: id } },
      el("td", {}, id),
      el("td", {}, session.user_id),
      el("td", {}, session.created_at),
      el("td", { class: "otp" }, otp ? otp.code : "—"),
      el("td", {}, otp ? el("span", { class: "badge " + (otp.state === "pending" ? "pending" : "not_sent") }, otp.state) : ""),
      el("td", {}, otp ? otp.expires_at : ""),
      el("td", { class: "num" }, otp ? otp.failures : ""),
    );
  });
  const accounts = Object.values(data.accounts).map((a) =>
    el("tr", {}, el("td", {}, a.account.account_id), el("td", {}, a.owner), el("td", {}, a.account.account_name), el("td", { class: "num" }, a.account.available_balance), el("td", {}, a.account.currency_code)),
  );
  return [
    el("h3", {}, "Sessions and their current OTP"),
    table(["session", "customer", "since", "OTP", "state", "expires", "wrong codes"], sessions, { id: "kasisto-sessions" }),
    el("h3", {}, "Accounts"),
    table(["account", "owner", "name", "available", "currency"], accounts),
  ];
}

function talerCard(data) {
  const rows = [];
  for (const [instance, record] of Object.entries(data.instances)) {
    for (const entry of Object.values(record.kyc)) {
      const form = el("form", { class: "inline" },
        select("status", META.taler_statuses, entry.status),
        el("button", { class: "action", type: "submit" }, "apply"),
      );
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const status = new FormData(form).get("status");
        const change = { h_wire: entry.h_wire, exchange_url: entry.exchange_url, status };
        control(`Taler ${instance}: ${status}`, () => admin("POST", `/taler/instances/${encodeURIComponent(instance)}/kyc`, change));
      });
      rows.push(el("tr", { dataset: { instance, exchange: entry.exchange_url } },
        el("td", {}, instance),
        el("td", {}, entry.exchange_url),
        el("td", {}, entry.payto_uri),
        el("td", { class: "kyc-status" }, el("span", { class: "badge " + (entry.status === "ready" ? "delivered" : "pending") }, entry.status)),
        el("td", { class: "num" }, data.waiting_long_polls[instance] ?? 0),
        el("td", {}, form),
      ));
    }
  }
  const scheduled = (data.scheduled || []).map((change) =>
    el("tr", {},
      el("td", {}, change.instance),
      el("td", {}, change.change.exchange_url),
      el("td", {}, change.change.h_wire.slice(0, 12) + "…"),
      el("td", {}, el("span", { class: "badge pending" }, change.change.status)),
      el("td", {}, change.due),
    ),
  );
  return [
    el("h3", {}, "Accounts at exchanges"),
    table(["instance", "exchange", "account", "KYC status", "waiting long-polls", "change to"], rows, { id: "taler-accounts" }),
    el("h3", {}, "Changes scheduled with after_ms"),
    table(["instance", "exchange", "account (h_wire)", "to status", "due"], scheduled, { id: "taler-scheduled" }),
  ];
}

function particeepCard(data) {
  const parts = [];
  for (const [key, consumer] of Object.entries(data.consumers)) {
    const users = Object.values(consumer.users).map(({ user }) =>
      el("tr", {}, el("td", {}, user.id), el("td", {}, user.email), el("td", {}, [user.first_name, user.last_name].filter(Boolean).join(" "))),
    );
    const wallets = Object.values(consumer.wallets).map((w) =>
      el("tr", {}, el("td", {}, w.id), el("td", {}, `${w.owner_type} ${w.owner_id}`), el("td", {}, w.status), el("td", { class: "num" }, (w.amount / 100).toFixed(2) + " " + w.currency)),
    );
    const kycs = Object.entries(consumer.kycs).map(([groupKey, group]) =>
      el("tr", { dataset: { group: groupKey } },
        el("td", {}, groupKey),
        el("td", { class: "kyc-status" }, group.status),
        el("td", {}, group.docs.map((d) => el("span", { class: "tag" }, `${d.doc_type}: ${d.status}`))),
        el("td", {},
          ["validate", "refuse"].map((decision) =>
            el("button", {
              class: "action " + decision, type: "button", disabled: group.status !== "ASK_VALIDATION",
              onclick: () => control(`Particeep KYC of ${group.owner_id}: ${decision}`, () => admin("POST", `/particeep/kyc/${encodeURIComponent(group.owner_id)}/${decision}`)),
            }, decision)),
        ),
      ),
    );
    const payments = Object.entries(consumer.pending_payments).map(([id, payment]) =>
      el("tr", {}, el("td", {}, id), el("td", {}, payment.kind), el("td", { class: "num" }, (payment.amount / 100).toFixed(2)),
        el("td", {}, ["succeed", "fail"].map((outcome) => el("button", { class: "action", type: "button", onclick: () => control(`payment ${id}: ${outcome}`, () => admin("POST", `/particeep/payments/${encodeURIComponent(id)}/${outcome}`)) }, outcome)))),
    );
    parts.push(el("div", { class: "card" },
      el("h3", {}, `Consumer ${key}`, el("span", { class: "muted" }, ` · ${consumer.quota_used} requests in ${consumer.quota_month || "this month"}`)),
      el("h3", {}, "Users"), table(["id", "email", "name"], users),
      el("h3", {}, "Wallets"), table(["id", "owner", "status", "amount"], wallets),
      el("h3", {}, "KYC groups"), table(["group", "status", "documents", "decide"], kycs, { class: "particeep-kycs" }),
      el("h3", {}, "Payments waiting for their outcome"), table(["id", "kind", "amount", "settle"], payments),
    ));
  }
  return parts;
}

const CARDS = { pti: ptiCard, kasisto: kasistoCard, taler: talerCard, particeep: particeepCard };

async function refreshProviders() {
  const states = await Promise.all(state.providers.map((p) => admin("GET", `/state/${p.name}`)));
  const shown = JSON.stringify(states);
  if (shown === state.shown.providers) return;
  state.shown.providers = shown;
  const cards = state.providers.map((provider, index) => {
    const data = states[index];
    const body = CARDS[provider.name] ? CARDS[provider.name](data) : [];
    return el("div", { class: "card", id: "provider-" + provider.name },
      el("h2", {}, provider.name, el("span", { class: "muted" }, ` mounted at ${provider.mount}${provider.port ? `, port ${provider.port}` : ""} `),
        el("button", { class: "action danger", type: "button", onclick: () => control(`${provider.name} reset`, () => admin("POST", `/reset?provider=${provider.name}`)) }, "reset")),
      body,
      el("details", {}, el("summary", {}, "whole state (JSON)"), el("pre", {}, JSON.stringify(data, null, 2))),
    );
  });
  document.getElementById("providers").replaceChildren(...cards);
}

// ---- faults ----------------------------------------------------------------------------------

async function refreshFaults() {
  const faults = await admin("GET", "/faults");
  const shown = JSON.stringify(faults);
  if (shown === state.shown.faults) return;
  state.shown.faults = shown;
  const rows = faults.map((f) =>
    el("tr", { dataset: { fault: f.id } },
      el("td", { class: "num" }, f.id),
      el("td", {}, f.provider || "any"),
      el("td", {}, f.method || "any"),
      el("td", {}, f.path || "any"),
      el("td", {}, f.respond ? (typeof f.respond === "string" ? f.respond : `status ${f.respond.status}`) : "latency"),
      el("td", { class: "num" }, f.remaining ?? "∞"),
      el("td", { class: "num" }, f.hits),
      el("td", {}, el("button", { class: "action danger", type: "button", onclick: () => control(`fault ${f.id} removed`, () => admin("DELETE", `/faults/${f.id}`)) }, "remove")),
    ),
  );
  document.querySelector("#faults tbody").replaceChildren(...rows);
}

function setUpFaultForm() {
  const form = document.getElementById("fault-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = new FormData(form);
    const rule = {};
    for (const name of ["provider", "method", "path"]) {
      const value = String(values.get(name) || "").trim();
      if (value) rule[name] = value;
    }
    const respond = String(values.get("respond"));
    rule.respond = /^\d+$/.test(respond) ? { status: Number(respond) } : respond;
    if (values.get("times")) rule.times = Number(values.get("times"));
    control("fault injected", () => admin("POST", "/faults", rule));
  });
}

// ---- the page --------------------------------------------------------------------------------

const REFRESH = { requests: refreshRequests, webhooks: refreshWebhooks, providers: refreshProviders, faults: refreshFaults };

async function refresh() {
  await REFRESH[state.tab]();
}

function showTab(name) {
  state.tab = name;
  for (const button of document.querySelectorAll("nav.tabs button")) {
    button.setAttribute("aria-selected", String(button.dataset.tab === name));
  }
  for (const section of document.querySelectorAll("section[role=tabpanel]")) {
    section.hidden = section.id !== "tab-" + name;
  }
  refresh().catch((error) => say(error.message, true));
}

async function poll() {
  try {
    await refresh();
    say("live · " + new Date().toLocaleTimeString());
  } catch (error) {
    say(error.message, true);
  }
  setTimeout(poll, POLL_MS);
}

async function start() {
  for (const button of document.querySelectorAll("nav.tabs button")) {
    button.addEventListener("click", () => showTab(button.dataset.tab));
  }
  for (const id of ["filter-provider", "filter-path", "filter-status"]) {
    document.getElementById(id).addEventListener("input", () => refreshRequests().catch((error) => say(error.message, true)));
  }
  document.getElementById("reset-all").addEventListener("click", () => control("every provider reset", () => admin("POST", "/reset")));
  document.getElementById("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem("fintwin-admin-token", document.getElementById("token").value);
    location.reload();
  });
  setUpFaultForm();
  try {
    const health = await admin("GET", "/health");
    state.providers = health.providers;
    document.getElementById("version").textContent = `v${health.version}`;
    const names = health.providers.map((p) => p.name);
    for (const id of ["filter-provider"]) {
      document.getElementById(id).replaceChildren(el("option", { value: "" }, "all"), ...names.map((n) => el("option", { value: n }, n)));
    }
    document.querySelector("#fault-form select[name=provider]").replaceChildren(el("option", { value: "" }, "any"), ...names.map((n) => el("option", { value: n }, n)));
  } catch (error) {
    say(error.message, true);
    return;
  }
  poll();
}

start();
