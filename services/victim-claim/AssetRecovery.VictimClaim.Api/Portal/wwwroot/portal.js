// The victims' portal: signs the victim in, then shows only what the API returns under their token.
// Data is written with textContent only, never as HTML.
"use strict";

const tokenKey = "assetrecovery.portal.token";
const $ = (id) => document.getElementById(id);
let config = null;
let openClaimId = null;

function show(...ids) {
  for (const section of ["sign-in", "claims", "new-claim", "receipt", "claim"]) $(section).hidden = !ids.includes(section);
}

function say(text, ok = false) {
  const box = $("message");
  box.textContent = text;
  box.className = ok ? "ok" : "";
  box.hidden = !text;
}

// Display only: the API keeps amounts exact; a few currencies have other than two decimals.
const currencyDigits = { BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, VND: 0, VUV: 0,
  XAF: 0, XOF: 0, XPF: 0, BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3 };

function money(amount, currency) {
  if (amount === null || amount === undefined) return "—";
  const digits = currencyDigits[currency] ?? 2;
  return `${Number(amount).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${currency}`;
}

async function api(path, options = {}) {
  const token = sessionStorage.getItem(tokenKey);
  const headers = { "Accept": "application/json", ...(options.headers || {}) };
  if (token) headers["Authorization"] = `Bearer ${token}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { ...options, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  if (response.status === 401) { signOut(); throw new Error("Please sign in again."); }
  const body = response.headers.get("Content-Type")?.includes("json") ? await response.json() : null;
  if (!response.ok) throw new Error(problemText(body, response.status));
  return body;
}

function problemText(problem, status) {
  if (!problem) return `The request failed (${status}).`;
  const lines = [problem.title || `The request failed (${status}).`];
  if (problem.detail) lines.push(problem.detail);
  for (const [field, messages] of Object.entries(problem.errors || {})) lines.push(`${field}: ${messages.join(" ")}`);
  return lines.join("\n");
}

function signedIn(name) {
  $("session").hidden = false;
  $("signed-in-as").textContent = name;
}

function signOut() {
  sessionStorage.removeItem(tokenKey);
  sessionStorage.removeItem(tokenKey + ".name");
  $("session").hidden = true;
  showSignIn();
}

function showSignIn() {
  show("sign-in");
  $("dev-sign-in").hidden = !config.developmentSignIn;
  $("oidc-sign-in").hidden = !config.oidc;
}

// --- Sign-in: development form, or OIDC authorization code with PKCE ---

async function devSignIn(event) {
  event.preventDefault();
  try {
    const result = await api("/portal/api/dev-sign-in", { method: "POST", body: { subject: $("dev-subject").value, name: $("dev-name").value || null } });
    sessionStorage.setItem(tokenKey, result.accessToken);
    sessionStorage.setItem(tokenKey + ".name", result.name);
    signedIn(result.name);
    say("");
    await loadClaims();
  } catch (error) { say(error.message); }
}

function base64Url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function discovery() {
  const response = await fetch(`${config.oidc.authority.replace(/\/$/, "")}/.well-known/openid-configuration`);
  return response.json();
}

async function oidcSignIn() {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem("oidc.verifier", verifier);
  sessionStorage.setItem("oidc.state", state);
  const challenge = base64Url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const metadata = await discovery();
  const url = new URL(metadata.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code", client_id: config.oidc.clientId, scope: config.oidc.scope, state,
    redirect_uri: location.origin + "/portal/", code_challenge: challenge, code_challenge_method: "S256",
  }).toString();
  location.assign(url.toString());
}

async function completeOidcSignIn(params) {
  if (params.get("state") !== sessionStorage.getItem("oidc.state")) throw new Error("The sign-in answer does not match the request.");
  const metadata = await discovery();
  const response = await fetch(metadata.token_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code", code: params.get("code"), client_id: config.oidc.clientId,
      redirect_uri: location.origin + "/portal/", code_verifier: sessionStorage.getItem("oidc.verifier"),
    }),
  });
  if (!response.ok) throw new Error("The identity provider refused the sign-in.");
  const tokens = await response.json();
  sessionStorage.setItem(tokenKey, tokens.access_token);
  const claims = JSON.parse(atob(tokens.access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
  sessionStorage.setItem(tokenKey + ".name", claims.name || claims.sub);
  history.replaceState(null, "", "/portal/");
}

// --- Claims ---

async function loadClaims() {
  const page = await api("/api/claims?pageSize=100");
  const body = $("claims-body");
  body.replaceChildren();
  for (const claim of page.items) {
    const row = document.createElement("tr");
    row.dataset.claimId = claim.claimId;
    const cells = [claim.reference, claim.status, claim.caseNumber || "—", money(claim.claimedLoss.amount, claim.claimedLoss.currency),
      claim.verifiedLoss ? money(claim.verifiedLoss.amount, claim.verifiedLoss.currency) : "—", new Date(claim.filedAt).toLocaleString()];
    for (const text of cells) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    const open = document.createElement("button");
    open.type = "button";
    open.textContent = "Open";
    open.addEventListener("click", () => openClaim(claim.claimId));
    const cell = document.createElement("td");
    cell.append(open);
    row.append(cell);
    body.append(row);
  }
  $("no-claims").hidden = page.items.length > 0;
  show("claims");
}

function addPaymentRow() {
  const index = $("payments").children.length;
  const row = document.createElement("div");
  row.className = "payment";
  const fields = [
    ["paidAt", "When you paid", "datetime-local"], ["amount", "Amount", "text"], ["currency", "Currency (e.g. CNY)", "text"],
    ["fromAccount", "From your account", "text"], ["toAccount", "To account", "text"], ["reference", "Payment reference (optional)", "text"],
  ];
  for (const [name, text, type] of fields) {
    const label = document.createElement("label");
    label.textContent = `${text} `;
    const input = document.createElement("input");
    input.name = `payments[${index}].${name}`;
    input.dataset.field = name;
    input.type = type;
    if (name === "currency") input.value = "CNY";
    if (name === "amount") input.inputMode = "decimal";
    label.append(input);
    row.append(label);
  }
  $("payments").append(row);
}

function claimRequest(form) {
  const value = (name) => form.elements[name].value.trim() || null;
  const payments = [...$("payments").children].map((row) => {
    const field = (name) => row.querySelector(`[data-field="${name}"]`).value.trim() || null;
    const paidAt = field("paidAt");
    return {
      paidAt: paidAt ? new Date(paidAt).toISOString() : null,
      // The amount goes as the text typed (the API reads decimal numbers from strings): no float arithmetic here.
      amount: field("amount"),
      currency: field("currency"), fromAccount: field("fromAccount"), toAccount: field("toAccount"), reference: field("reference"),
    };
  });
  return {
    fullName: value("fullName"), idNumber: value("idNumber"), email: value("email"), phone: value("phone"), payments,
    returnAccount: { bankName: value("bankName"), accountNumber: value("accountNumber"), accountHolderName: value("accountHolderName") },
    caseNumber: value("caseNumber"), description: value("description"),
  };
}

async function fileClaim(event) {
  event.preventDefault();
  try {
    const receipt = await api("/api/claims", {
      method: "POST", body: claimRequest(event.target), headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    $("receipt-reference").textContent = receipt.reference;
    $("receipt-open").onclick = () => openClaim(receipt.claimId);
    event.target.reset();
    $("payments").replaceChildren();
    addPaymentRow();
    say("");
    show("receipt");
  } catch (error) { say(error.message); }
}

async function openClaim(claimId) {
  try {
    const claim = await api(`/api/claims/${claimId}`);
    const notifications = await api(`/api/claims/${claimId}/notifications`);
    openClaimId = claimId;
    renderClaim(claim, notifications);
    say("");
    show("claim");
  } catch (error) { say(error.message); }
}

function renderClaim(claim, notifications) {
  const trail = claim.moneyTrail;
  $("claim-reference").textContent = claim.reference;
  $("claim-status").textContent = claim.status;
  $("claim-case").textContent = claim.caseNumber ? `· case ${claim.caseNumber}${claim.caseConfirmed ? "" : " (not yet confirmed)"}` : "";
  $("claim-question").hidden = !claim.openQuestion;
  $("claim-question").textContent = claim.openQuestion ? `The investigator asks: ${claim.openQuestion}` : "";
  $("claim-denial").hidden = !claim.denialReason;
  $("claim-denial").textContent = claim.denialReason ? `Denied: ${claim.denialReason}` : "";
  for (const [id, amount] of [["claimed", trail.claimed], ["verified", trail.verified], ["traced", trail.traced], ["frozen", trail.frozen],
    ["ordered", trail.ordered], ["paid", trail.paid], ["outstanding", trail.outstanding]]) {
    $(`trail-${id}`).textContent = money(amount, trail.currency);
  }
  $("answer-form").hidden = claim.status !== "InformationRequested";
  $("reconsideration-form").hidden = !claim.mayRequestReconsideration;
  const account = claim.returnAccount;
  $("return-account-current").textContent = `${account.bankName}, ${account.accountNumber}, ${account.accountHolderName}`;
  const timeline = $("timeline");
  timeline.replaceChildren();
  for (const entry of claim.timeline) {
    const item = document.createElement("li");
    item.textContent = `${new Date(entry.at).toLocaleString()} — ${entry.by}: ${entry.summary}`;
    timeline.append(item);
  }
  const list = $("notifications");
  list.replaceChildren();
  for (const notification of notifications) {
    const item = document.createElement("li");
    item.textContent = `${new Date(notification.createdAt).toLocaleString()}: ${notification.message}`;
    list.append(item);
  }
}

async function answer(event) {
  event.preventDefault();
  try {
    await api(`/api/claims/${openClaimId}/information`, { method: "POST", body: { answer: event.target.elements.answer.value } });
    event.target.reset();
    say("Your answer was sent.", true);
    await openClaim(openClaimId);
  } catch (error) { say(error.message); }
}

async function reconsider(event) {
  event.preventDefault();
  try {
    await api(`/api/claims/${openClaimId}/reconsideration`, { method: "POST", body: { grounds: event.target.elements.grounds.value } });
    event.target.reset();
    say("Your request for reconsideration was sent.", true);
    await openClaim(openClaimId);
  } catch (error) { say(error.message); }
}

async function changeReturnAccount(event) {
  event.preventDefault();
  const fields = event.target.elements;
  try {
    await api(`/api/claims/${openClaimId}/return-account`, {
      method: "POST",
      body: { bankName: fields.bankName.value, accountNumber: fields.accountNumber.value, accountHolderName: fields.accountHolderName.value },
    });
    event.target.reset();
    say("Your return account was changed.", true);
    await openClaim(openClaimId);
  } catch (error) { say(error.message); }
}

async function start() {
  $("dev-sign-in").addEventListener("submit", devSignIn);
  $("oidc-sign-in").addEventListener("click", () => oidcSignIn().catch((error) => say(error.message)));
  $("sign-out").addEventListener("click", signOut);
  $("new-claim-button").addEventListener("click", () => { say(""); show("new-claim"); });
  $("cancel-claim").addEventListener("click", () => loadClaims().catch((error) => say(error.message)));
  $("add-payment").addEventListener("click", addPaymentRow);
  $("claim-form").addEventListener("submit", fileClaim);
  $("answer-form").addEventListener("submit", answer);
  $("reconsideration-form").addEventListener("submit", reconsider);
  $("return-account-form").addEventListener("submit", changeReturnAccount);
  $("back").addEventListener("click", () => loadClaims().catch((error) => say(error.message)));
  $("refresh").addEventListener("click", () => openClaim(openClaimId));
  addPaymentRow();

  config = await (await fetch("/portal/api/config")).json();
  const params = new URLSearchParams(location.search);
  try {
    if (config.oidc && params.has("code")) await completeOidcSignIn(params);
    if (sessionStorage.getItem(tokenKey)) {
      signedIn(sessionStorage.getItem(tokenKey + ".name"));
      await loadClaims();
    } else {
      showSignIn();
    }
  } catch (error) {
    say(error.message);
    showSignIn();
  }
  document.body.dataset.ready = "true";
}

start();
