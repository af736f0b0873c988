/* sambandh dashboard: plain JavaScript and hand-drawn SVG, no libraries, no network beyond this server. */
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const STATUS_STEPS = ["proposed", "negotiating", "drafting", "finalized", "signed", "in_force", "implemented"];
const state = { lang: "en", i18n: null, countries: [], byCode: {}, a: null, b: null, by: "month", dyad: null };

// -- small helpers ----------------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
}
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return node;
}
function title(text) { return svg("title", {}, text); }
const t = (key) => (state.i18n && state.i18n[state.lang].ui[key]) || key;
const label = (group, key) => {
  if (!key) return "";
  const k = String(key).replace(/ /g, "_");
  return (state.i18n && state.i18n[state.lang][group][k]) || String(key).replace(/_/g, " ");
};
function countryName(code) {
  const c = state.byCode[code];
  if (!c) return code || "?";
  const names = c.names[state.lang] || c.names.en || [code];
  return names[0];
}
function hasDevanagari(s) { return /[\u0900-\u097F]/.test(s || ""); }
function host(url) { try { return new URL(url).host; } catch (e) { return null; } }

async function api(path) {
  const headers = {};
  const token = sessionStorage.getItem("sambandh-token");
  if (token) headers.Authorization = "Bearer " + token;
  const r = await fetch(path, { headers });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}
function showMessage(text) { document.getElementById("message").textContent = text || ""; }

// -- language ------------------------------------------------------------------------------------------
function applyLanguage() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  fillCountryList();
  renderStats();
  for (const id of ["country-a", "country-b"]) {
    const input = document.getElementById(id);
    const code = id === "country-a" ? state.a : state.b;
    if (code && resolveCountry(input.value) === code) input.value = optionText(code);
  }
  if (state.dyad) renderDyad();
  if (state.a) loadNetwork(state.a);
  if (state.lastEvidence) state.lastEvidence();
}

function renderStats() {
  const s = state.stats;
  if (!s) return;
  document.getElementById("stats").textContent =
    `${s.documents} ${t("documents")} · ${s.events} ${t("events")} · ${s.first_date || ""} – ${s.last_date || ""}`;
}

// -- countries: typing in Hindi or English ---------------------------------------------------------
function optionText(code) {
  const c = state.byCode[code];
  if (!c) return code;
  const other = state.lang === "hi" ? "en" : "hi";
  const main = (c.names[state.lang] || c.names.en || [code])[0];
  const second = (c.names[other] || [])[0];
  return second && second !== main ? `${main} · ${second} (${code})` : `${main} (${code})`;
}
function fillCountryList() {
  const list = document.getElementById("country-list");
  list.replaceChildren(...state.countries.filter((c) => c.kind === "country" || c.events > 0)
    .map((c) => el("option", { value: optionText(c.code) })));
}
function norm(s) { return (s || "").normalize("NFC").trim().toLowerCase(); }
function resolveCountry(text) {
  const s = norm(text);
  if (!s) return null;
  const paren = s.match(/\(([a-z0-9_]{2,16})\)\s*$/);
  if (paren && state.byCode[paren[1].toUpperCase()]) return paren[1].toUpperCase();
  if (state.byCode[s.toUpperCase()]) return s.toUpperCase();
  let prefix = null;
  for (const c of state.countries) {
    for (const names of Object.values(c.names)) {
      for (const n of names) {
        const m = norm(n);
        if (m === s) return c.code;
        if (!prefix && m.startsWith(s) && s.length >= 2) prefix = c.code;
      }
    }
  }
  return prefix;
}

// -- the dyad view --------------------------------------------------------------------------------------
async function loadDyad() {
  const a = resolveCountry(document.getElementById("country-a").value);
  const b = resolveCountry(document.getElementById("country-b").value);
  if (!a) return showMessage(t("unknown_country") + document.getElementById("country-a").value);
  if (!b) return showMessage(t("unknown_country") + document.getElementById("country-b").value);
  showMessage("");
  state.a = a; state.b = b; state.by = document.getElementById("by").value;
  document.getElementById("country-a").value = optionText(a);
  document.getElementById("country-b").value = optionText(b);
  const params = new URLSearchParams({ a, b, by: state.by });
  history.replaceState(null, "", "?" + params.toString() + location.hash);
  document.getElementById("export-link").href = `/events.csv?_stream=on&dyad=${a}-${b}`;
  try {
    const [dyad, places] = await Promise.all([
      api(`/dyads/${a}/${b}?by=${state.by}&_size=30`),
      api(`/locations?dyad=${a}-${b}`),
    ]);
    state.dyad = dyad; state.places = places.locations;
    renderDyad();
    loadNetwork(a);
  } catch (err) { showMessage(t("error") + err.message); }
}

function renderDyad() {
  const d = state.dyad;
  renderTimeline(d);
  renderBars("types", d.totals.by_type, (k) => label("types", k), (k) => "q" + (QUAD[k] || 0));
  renderBars("topics", d.totals.topics, (k) => label("topics", k), () => "");
  renderAgreements(d.agreements);
  renderStories(d.stories);
  renderMap(state.places || []);
}
const QUAD = { AGREE: 1, CONSULT: 1, SUPPORT: 1, CONCEDE: 1, REQUEST: 1, COOPERATE: 2, AID: 2, RETREAT: 2,
  ACCUSE: 3, REJECT: 3, THREATEN: 3, PROTEST: 4, SANCTION: 4, MOBILIZE: 4, COERCE: 4, ASSAULT: 4 };

function renderTimeline(d) {
  const box = document.getElementById("timeline");
  const periods = fillPeriods(d.periods.filter((p) => p.period !== "undated"), d.by);
  const undated = d.periods.find((p) => p.period === "undated");
  const note = undated ? el("button", { class: "linkish undated", type: "button", onclick: showUndated },
    `${undated.events} ${t("undated")}`) : null;
  if (!periods.length) {
    box.replaceChildren(el("p", { class: "hint" }, undated ? "" : t("no_data")), note || "");
    return;
  }
  const W = 760, H = 300, L = 44, R = 44, T = 14, B = 40;
  const coop = periods.map((p) => (p.by_quad["1"] || 0) + (p.by_quad["2"] || 0));
  const conf = periods.map((p) => (p.by_quad["3"] || 0) + (p.by_quad["4"] || 0));
  const max = Math.max(1, ...coop, ...conf);
  const step = periods.length > 1 ? (W - L - R) / (periods.length - 1) : 0;
  const x = (i) => (periods.length > 1 ? L + i * step : (W - L - R) / 2 + L);
  const y = (v) => H - B - (v / max) * (H - T - B);
  const yg = (g) => H - B - ((g + 10) / 20) * (H - T - B);  // Goldstein -10..10 on the right axis
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": t("timeline"), id: "timeline-svg" });
  const ticks = niceTicks(max);
  for (const v of ticks) {
    root.append(svg("line", { class: "grid", x1: L, x2: W - R, y1: y(v), y2: y(v) }),
      svg("text", { class: "tick", x: L - 6, y: y(v) + 4, "text-anchor": "end" }, v));
  }
  for (const g of [-10, 0, 10]) root.append(svg("text", { class: "tick", x: W - R + 6, y: yg(g) + 4 }, g));
  const every = Math.ceil(periods.length / 12);
  periods.forEach((p, i) => {
    if (i % every === 0) root.append(svg("text", { class: "tick", x: x(i), y: H - B + 16, "text-anchor": "middle" }, p.period));
  });
  root.append(svg("line", { class: "axis", x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: "#c5cad3" }));
  const path = (vals, f) => vals.map((v, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${f(v).toFixed(1)}`).join("");
  root.append(svg("path", { class: "line-coop", d: path(coop, y) }), svg("path", { class: "line-conflict", d: path(conf, y) }));
  const gsIdx = periods.map((p, i) => [p.goldstein_mean, i]).filter(([g]) => g !== null);
  if (gsIdx.length > 1) {
    root.append(svg("path", { class: "line-gs", d: gsIdx.map(([g, i], j) => `${j ? "L" : "M"}${x(i)},${yg(g)}`).join("") }));
  }
  periods.forEach((p, i) => {
    for (const [kind, vals, quads] of [["coop", coop, "1,2"], ["conflict", conf, "3,4"]]) {
      if (!vals[i]) continue;
      root.append(svg("circle", {
        class: `point ${kind}`, cx: x(i), cy: y(vals[i]), r: 6, "data-period": p.period, "data-kind": kind,
        tabindex: 0, onclick: (ev) => { selectPoint(ev.target); showPeriod(p.period, quads, kind); },
      }, title(`${p.period}: ${vals[i]} ${t(kind === "coop" ? "cooperation" : "conflict")}` +
        (p.goldstein_mean !== null ? ` · ${t("goldstein")} ${p.goldstein_mean}` : ""))));
    }
  });
  box.replaceChildren(root, note || "");
}
async function showUndated() {
  const run = async () => {
    const page = await api(`/events?dyad=${state.a}-${state.b}&_size=1000`);
    showEvidence(`${countryName(state.a)} – ${countryName(state.b)} · ${t("undated")}`, page.events.filter((e) => !e.date));
  };
  state.lastEvidence = run;
  try { await run(); } catch (err) { showMessage(t("error") + err.message); }
}
// Periods with no events still take their place on the time axis.
function fillPeriods(periods, by) {
  if (periods.length < 2 || by === "all") return periods;
  const have = new Map(periods.map((p) => [p.period, p]));
  const empty = (period) => ({ period, events: 0, by_quad: {}, by_type: {}, goldstein_mean: null });
  const first = periods[0].period, last = periods[periods.length - 1].period;
  const keys = [];
  if (by === "year") {
    for (let y = +first; y <= +last; y++) keys.push(String(y));
  } else if (by === "month") {
    let [y, m] = first.split("-").map(Number);
    const [ly, lm] = last.split("-").map(Number);
    while ((y < ly || (y === ly && m <= lm)) && keys.length < 1200) {
      keys.push(`${y}-${String(m).padStart(2, "0")}`);
      m += 1; if (m > 12) { m = 1; y += 1; }
    }
  } else {
    const startDay = by === "week" ? periodRange(first)[0] : first;
    const endDay = by === "week" ? periodRange(last)[0] : last;
    const stepDays = by === "week" ? 7 : 1;
    for (let d = new Date(startDay + "T00:00:00Z"); d <= new Date(endDay + "T00:00:00Z") && keys.length < 400;
      d = new Date(d.getTime() + stepDays * 864e5)) {
      keys.push(by === "week" ? isoWeek(d) : d.toISOString().slice(0, 10));
    }
    if (keys.length >= 400) return periods;
  }
  return keys.map((k) => have.get(k) || empty(k));
}
function isoWeek(date) {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);  // the Thursday of this week decides its year
  const year = d.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round(((d - jan4) / 864e5 - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}
function selectPoint(node) {
  for (const n of document.querySelectorAll("#timeline .point.selected")) n.classList.remove("selected");
  node.classList.add("selected");
}
function niceTicks(max) {
  const raw = max / 4, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw));
  const out = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(Math.round(v));
  return out;
}
function periodRange(period) {
  const w = period.match(/^(\d{4})-W(\d{2})$/);
  if (!w) return [period, period];
  // ISO week: the Monday of week 1 is the Monday on or before 4 January.
  const jan4 = new Date(Date.UTC(+w[1], 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 864e5 + (+w[2] - 1) * 7 * 864e5);
  const sunday = new Date(monday.getTime() + 6 * 864e5);
  return [monday.toISOString().slice(0, 10), sunday.toISOString().slice(0, 10)];
}

function renderBars(id, counts, name, cls) {
  const box = document.getElementById(id);
  const items = Object.entries(counts || {}).slice(0, 10);
  if (!items.length) { box.replaceChildren(el("p", { class: "hint" }, "—")); return; }
  const W = 360, row = 24, L = 130, H = items.length * row + 6;
  const max = Math.max(...items.map(([, v]) => v));
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img" });
  items.forEach(([k, v], i) => {
    const w = Math.max(2, ((W - L - 40) * v) / max);
    root.append(
      svg("text", { x: L - 6, y: i * row + 17, "text-anchor": "end", "font-size": 12 }, name(k)),
      svg("rect", { class: `bar ${cls(k)}`, x: L, y: i * row + 5, width: w, height: row - 8, rx: 2 }, title(`${k}: ${v}`)),
      svg("text", { x: L + w + 4, y: i * row + 17, "font-size": 11, class: "tick" }, v));
  });
  box.replaceChildren(root);
}

function renderAgreements(list) {
  const box = document.getElementById("agreements");
  if (!list || !list.length) { box.replaceChildren(el("p", { class: "hint" }, t("no_agreements"))); return; }
  box.replaceChildren(...list.map((ag) => {
    const cur = String(ag.status || "").replace(/ /g, "_");
    const reached = new Map();
    for (const h of ag.history || []) reached.set(String(h.status).replace(/ /g, "_"), h);
    const steps = STATUS_STEPS.map((s) => {
      const h = reached.get(s);
      return el("span", {
        class: `step${h ? " reached" : ""}${s === cur ? " current" : ""}`, "data-status": s,
        title: h ? `${h.date || ""} · ${h.reports} ${t("reports")}` : null,
        onclick: h ? () => showAgreementStep(ag, h) : null,
      }, label("status", s));
    });
    for (const s of ["stalled", "withdrawn"]) {
      if (reached.has(s)) steps.push(el("span", { class: "step bad", onclick: () => showAgreementStep(ag, reached.get(s)) },
        label("status", s)));
    }
    return el("div", { class: "agreement" },
      el("div", { class: "title", lang: hasDevanagari(ag.title) ? "hi" : "en" }, ag.title || "—"),
      el("div", { class: "meta tick" }, `${(ag.parties || []).map(countryName).join(" · ")} · ${ag.first_date || ""} → ${ag.last_date || ""} · ${ag.articles} ${t("articles")}`),
      el("div", { class: "steps" }, steps));
  }));
}

function renderStories(list) {
  const box = document.getElementById("stories");
  if (!list || !list.length) { box.replaceChildren(el("li", { class: "hint" }, t("no_stories"))); return; }
  box.replaceChildren(...list.map((s) => el("li", { "data-story": s.id, onclick: () => showStory(s.id) },
    el("span", { class: "ev" }, label("types", s.event)), " ",
    `${countryName(s.actor)} → ${countryName(s.recipient)} · ${s.first_date || ""} · ${s.articles} ${t("articles")}`,
    el("span", { class: "snip", lang: hasDevanagari(s.evidence) ? "hi" : "en" }, s.evidence || ""))));
}

// -- evidence ---------------------------------------------------------------------------------------------
function highlighted(ev) {
  // Spans are offsets into the original text; the evidence sentence starts at ev.span[0].
  const chars = Array.from(ev.evidence || "");
  const base = (ev.span || [0])[0] || 0;
  const marks = [];
  const add = (span, cls, what) => {
    if (!Array.isArray(span) || span.length !== 2) return;
    const s = Math.max(0, span[0] - base), e = Math.min(chars.length, span[1] - base);
    if (e > s) marks.push([s, e, cls, what]);
  };
  add((ev.actor || {}).span, "hl-actor", t("actor"));
  add((ev.recipient || {}).span, "hl-recipient", t("recipient"));
  add(ev.trigger, "hl-trigger", t("trigger"));
  marks.sort((m, n) => m[0] - n[0] || n[1] - m[1]);
  const out = [];
  let pos = 0;
  for (const [s, e, cls, what] of marks) {
    if (s < pos) continue;  // overlapping marks: the first (outer) one wins
    if (s > pos) out.push(chars.slice(pos, s).join(""));
    out.push(el("mark", { class: cls, title: what }, chars.slice(s, e).join("")));
    pos = e;
  }
  out.push(chars.slice(pos).join(""));
  return el("p", { class: "sentence", lang: hasDevanagari(ev.evidence) ? "hi" : "en" }, out);
}
function evidenceItem(ev) {
  const who = (a) => (a ? `${countryName(a.code)}${a.name ? " (" + a.name + ")" : ""}` : "?");
  const src = host(ev.url) || ev.source_id || ev.document;
  return el("div", { class: "evidence-item", "data-event": ev.id },
    el("div", { class: "meta" },
      el("span", { class: "type" }, label("types", ev.event)),
      el("span", {}, `${who(ev.actor)} → ${who(ev.recipient)}`),
      el("span", {}, ev.date || ""),
      el("span", {}, label("modality", ev.modality)),
      el("span", {}, `${t("source")}: `, ev.url ? el("a", { href: ev.url, target: "_blank", rel: "noopener" }, src) : src)),
    highlighted(ev),
    el("button", { class: "linkish", type: "button", onclick: () => showDocument(ev.document) }, t("document")));
}
function showEvidence(heading, events, render) {
  document.getElementById("evidence-title").textContent = heading;
  const box = document.getElementById("evidence");
  box.replaceChildren(...(events.length ? events.map(render || evidenceItem) : [el("p", { class: "hint" }, "—")]));
  box.closest(".card").scrollTop = 0;
}
async function showPeriod(period, quads, kind) {
  const [since, until] = periodRange(period);
  const run = async () => {
    const page = await api(`/events?dyad=${state.a}-${state.b}&since=${since}&until=${until}&quad=${quads}&_size=100`);
    showEvidence(`${countryName(state.a)} – ${countryName(state.b)} · ${period} · ${t(kind === "coop" ? "cooperation" : "conflict")}`,
      page.events);
  };
  state.lastEvidence = run;
  try { await run(); } catch (err) { showMessage(t("error") + err.message); }
}
async function showStory(id) {
  const run = async () => {
    const s = await api(`/stories/${id}`);
    showEvidence(`${t("story")} ${id}: ${label("types", s.event)} · ${countryName(s.actor)} → ${countryName(s.recipient)}`, s.events);
    for (const li of document.querySelectorAll("#stories li")) li.classList.toggle("selected", li.dataset.story === String(id));
  };
  state.lastEvidence = run;
  try { await run(); } catch (err) { showMessage(t("error") + err.message); }
}
function showAgreementStep(ag, step) {
  const run = async () => {
    showEvidence(`${ag.title} · ${label("status", step.status)}`, [step], (h) => el("div", { class: "evidence-item" },
      el("div", { class: "meta" }, el("span", { class: "type" }, label("status", h.status)), el("span", {}, h.date || ""),
        el("span", {}, `${t("source")}: `, h.url ? el("a", { href: h.url, target: "_blank", rel: "noopener" }, host(h.url)) : (h.source_id || ""))),
      el("p", { class: "sentence", lang: hasDevanagari(h.evidence) ? "hi" : "en" }, el("mark", { class: "hl-trigger" }, h.evidence || "")),
      el("button", { class: "linkish", type: "button", onclick: () => showDocument(h.document) }, t("document"))));
  };
  state.lastEvidence = run;
  run();
}
async function showDocument(id) {
  try {
    const doc = await api(`/documents/${encodeURIComponent(id)}`);
    const chars = Array.from(doc.text || "");
    // Entities and actor/recipient/trigger spans, outermost first; nested marks are skipped.
    const marks = doc.marks.filter((m) => ["actor", "recipient", "trigger", "entity"].includes(m.kind));
    const out = [];
    let pos = 0;
    for (const m of marks) {
      if (m.start < pos) continue;
      out.push(chars.slice(pos, m.start).join(""));
      out.push(el("mark", { class: "hl-" + m.kind, title: [m.kind, m.type, m.code, m.label].filter(Boolean).join(" · ") },
        chars.slice(m.start, m.end).join("")));
      pos = m.end;
    }
    out.push(chars.slice(pos).join(""));
    document.getElementById("evidence-title").textContent = doc.title || doc.id;
    document.getElementById("evidence").replaceChildren(
      el("div", { class: "meta tick" }, `${doc.published || ""} · ${doc.source || ""} · ${doc.events.length} ${t("events")}`),
      el("div", { class: "doc-text", lang: doc.lang || "en" }, out));
  } catch (err) { showMessage(t("error") + err.message); }
}

// -- partner network --------------------------------------------------------------------------------
async function loadNetwork(code) {
  document.getElementById("network-title").textContent = countryName(code);
  const box = document.getElementById("network");
  let actor;
  try { actor = await api(`/actors/${code}`); } catch (err) { box.replaceChildren(el("p", { class: "hint" }, t("no_partners"))); return; }
  const partners = actor.partners.slice(0, 16);
  if (!partners.length) { box.replaceChildren(el("p", { class: "hint" }, t("no_partners"))); return; }
  const W = 360, H = 300, cx = W / 2, cy = H / 2, R = 110;
  const max = Math.max(...partners.map((p) => p.events));
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", id: "network-svg" });
  const color = (bal) => (bal > 0 ? `rgba(27,138,90,${0.35 + 0.65 * bal})`
    : bal < 0 ? `rgba(192,57,43,${0.35 + 0.65 * -bal})` : "#9aa3b2");
  partners.forEach((p, i) => {
    const ang = (2 * Math.PI * i) / partners.length - Math.PI / 2;
    const x = cx + R * Math.cos(ang), y = cy + R * Math.sin(ang);
    const r = 6 + 12 * Math.sqrt(p.events / max);
    const tip = `${countryName(p.code)}: ${p.events} ${t("events")} · ${t("cooperation")} ${p.cooperation} · ${t("conflict")} ${p.conflict}`;
    root.append(svg("line", { x1: cx, y1: cy, x2: x, y2: y, stroke: color(p.balance), "stroke-width": 1 + 7 * (p.events / max) },
      title(tip)));
    root.append(svg("g", { class: "node", "data-code": p.code, onclick: () => {
      document.getElementById("country-b").value = optionText(p.code); loadDyad();
    } },
    svg("circle", { cx: x, cy: y, r, fill: color(p.balance), stroke: p.code === state.b ? "#14213d" : "#fff", "stroke-width": 2 }),
    // The name sits outside the circle, away from the centre, clear of the edge.
    svg("text", { x: x + (r + 4) * Math.cos(ang), y: y + (r + 4) * Math.sin(ang) + 4,
      "text-anchor": Math.abs(Math.cos(ang)) < 0.3 ? "middle" : (Math.cos(ang) > 0 ? "start" : "end"),
      dy: Math.abs(Math.cos(ang)) < 0.3 ? (Math.sin(ang) < 0 ? -4 : 8) : 0, "font-size": 11 }, countryName(p.code)),
    title(tip)));
  });
  root.append(svg("circle", { cx, cy, r: 20, fill: "#14213d" }),
    svg("text", { x: cx, y: cy + 4, "text-anchor": "middle", "font-size": 11, fill: "#fff", style: "fill:#fff" }, code));
  box.replaceChildren(root);
}

// -- map: equirectangular, no tiles ------------------------------------------------------------------
function renderMap(places) {
  const box = document.getElementById("map");
  const W = 360, H = 180, px = (lon) => ((lon + 180) / 360) * W, py = (lat) => ((90 - lat) / 180) * H;
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", id: "map-svg" });
  root.append(svg("rect", { x: 0, y: 0, width: W, height: H, fill: "#f7f9fc" }));
  for (let lon = -180; lon <= 180; lon += 30) root.append(svg("line", { class: "graticule", x1: px(lon), x2: px(lon), y1: 0, y2: H }));
  for (let lat = -60; lat <= 60; lat += 30) root.append(svg("line", { class: "graticule", x1: 0, x2: W, y1: py(lat), y2: py(lat) }));
  // Every known country's capital as a faint dot: enough to read the map without tiles or shapes.
  for (const c of state.countries) {
    if (c.lat === null || c.lon === null) continue;
    root.append(svg("circle", { class: "land", cx: px(c.lon), cy: py(c.lat), r: 1.4 }, title(countryName(c.code))));
  }
  const max = Math.max(1, ...places.map((p) => p.events));
  for (const p of places) {
    const conflict = (p.by_quad["3"] || 0) + (p.by_quad["4"] || 0);
    root.append(svg("circle", { class: `place ${conflict * 2 > p.events ? "conflict" : "coop"}`,
      cx: px(p.longitude), cy: py(p.latitude), r: 2.5 + 5 * Math.sqrt(p.events / max) },
    title(`${p.name || "?"} (${countryName(p.country)}): ${p.events} ${t("events")}`)));
    root.append(svg("text", { x: px(p.longitude) + 6, y: py(p.latitude) - 5, "font-size": 6, class: "place-name" },
      `${p.name || "?"} · ${p.events}`));
  }
  if (!places.length) root.append(svg("text", { x: W / 2, y: 10, "text-anchor": "middle", "font-size": 5, fill: "#6b7280", style: "fill:#6b7280" }, t("no_places")));
  box.replaceChildren(root);
}

// -- start ----------------------------------------------------------------------------------------------
async function start() {
  const m = location.hash.match(/token=([^&]+)/);
  if (m) sessionStorage.setItem("sambandh-token", decodeURIComponent(m[1]));
  const saved = localStorage.getItem("sambandh-lang");
  state.lang = saved === "hi" || saved === "en" ? saved : ((navigator.language || "").startsWith("hi") ? "hi" : "en");
  const [i18n, countries] = await Promise.all([
    fetch("/static/i18n.json").then((r) => r.json()),
    api("/countries").catch(() => ({ countries: [] })),
  ]);
  state.i18n = i18n;
  state.countries = countries.countries;
  for (const c of state.countries) state.byCode[c.code] = c;
  document.getElementById("lang").addEventListener("click", () => {
    state.lang = state.lang === "hi" ? "en" : "hi";
    localStorage.setItem("sambandh-lang", state.lang);
    applyLanguage();
  });
  document.getElementById("pick").addEventListener("submit", (ev) => { ev.preventDefault(); loadDyad(); });
  applyLanguage();
  api("/stats").then((s) => { state.stats = s; renderStats(); }).catch(() => {});
  const q = new URLSearchParams(location.search);
  if (q.get("a") && q.get("b")) {
    document.getElementById("country-a").value = q.get("a");
    document.getElementById("country-b").value = q.get("b");
    if (q.get("by")) document.getElementById("by").value = q.get("by");
    loadDyad();
  }
  document.body.dataset.ready = "1";
}
start();
