"use strict";
// Filters, keyboard navigation and (served pages) the editor. Text from posts is only ever
// set with textContent; innerHTML takes only HTML the review server rendered and escaped.
(function () {
  const units = () => Array.from(document.querySelectorAll("article.unit"));
  const filters = document.getElementById("filters");

  function applyFilters() {
    if (!filters) return;
    const states = new Set(Array.from(filters.querySelectorAll("input[name=state]:checked")).map((i) => i.value));
    const kind = filters.querySelector("select[name=kind]").value;
    for (const u of units()) u.hidden = !(states.has(u.dataset.state) && (!kind || u.dataset.kind === kind));
  }
  if (filters) filters.addEventListener("change", applyFilters);

  function move(step) {
    const shown = units().filter((u) => !u.hidden);
    if (!shown.length) return;
    let i = shown.indexOf(document.activeElement.closest ? document.activeElement.closest("article.unit") : null);
    i = i < 0 ? (step > 0 ? 0 : shown.length - 1) : Math.min(shown.length - 1, Math.max(0, i + step));
    shown[i].focus();
    shown[i].scrollIntoView({ block: "center" });
  }

  document.addEventListener("keydown", (ev) => {
    const typing = ev.target instanceof HTMLTextAreaElement || ev.target instanceof HTMLInputElement ||
      ev.target instanceof HTMLSelectElement;
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "j" || ev.key === "ArrowDown") { move(1); ev.preventDefault(); }
    else if (ev.key === "k" || ev.key === "ArrowUp") { move(-1); ev.preventDefault(); }
    else if (ev.key === "e" && live) {
      const u = document.activeElement.closest && document.activeElement.closest("article.unit");
      if (u) { openEditor(u); ev.preventDefault(); }
    }
  });

  // -- served pages: edit, check as you type, save ----------------------------------------
  const tokenMeta = document.querySelector('meta[name="review-token"]');
  const live = tokenMeta !== null;
  if (!live) return;
  const token = tokenMeta.content;
  const main = document.getElementById("units");
  const banner = document.getElementById("banner");

  function say(text, ok) {
    banner.textContent = text;
    banner.classList.toggle("ok", !!ok);
    banner.hidden = !text;
  }

  async function call(path, body) {
    const res = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Review-Token": token },
      body: JSON.stringify(Object.assign({ source: main.dataset.source, locale: main.dataset.locale }, body)),
    });
    let data = null;
    try { data = await res.json(); } catch (e) { data = { error: "the server sent no readable answer (" + res.status + ")" }; }
    if (!res.ok && !data.error) data.error = "refused (" + res.status + ")";
    return data;
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showIssues(list, issues) {
    list.replaceChildren();
    list.classList.toggle("ok", !issues.length);
    if (!issues.length) { list.append(el("li", "", "passes the checks")); return; }
    for (const i of issues) list.append(el("li", "", i));
  }

  function update(u, unit) {
    u.dataset.state = unit.state;
    u.className = "unit state-" + unit.state;
    u.querySelector(".tgt").innerHTML = unit.html; // rendered and escaped by the server
    u.querySelector(".state").textContent = unit.state_name;
    const issues = u.querySelector(".issues");
    issues.replaceChildren(...unit.issues.map((m) => el("li", "", m)));
    const prev = u.querySelector("details.prev");
    if (prev && unit.state !== "fuzzy") prev.remove();
    u.data.translation = unit.translation;
  }

  function openEditor(u) {
    if (u.querySelector(".editor")) { u.querySelector("textarea").focus(); return; }
    const d = u.data;
    const box = el("div", "editor");
    const legend = el("p", "legend");
    for (const p of d.placeholders) {
      const c = el("code", "", p.tag);
      c.title = p.label + ": " + p.text;
      legend.append(c);
    }
    const area = el("textarea");
    area.value = d.translation || d.source;
    area.setAttribute("aria-label", "translation of line " + u.querySelector(".meta a").textContent);
    const preview = el("div", "preview");
    const checks = el("ul", "live-issues");
    const error = el("p", "error");
    error.setAttribute("role", "alert");
    const save = el("button", "save", "Save");
    const cancel = el("button", "cancel", "Cancel");
    save.type = cancel.type = "button";
    box.append(legend, area, preview, checks, error, save, cancel);
    u.append(box);
    const base = d.translation;
    let timer = null, seq = 0;

    async function check() {
      const mine = ++seq;
      const r = await call("/api/check", { unit: d.id, msgid: d.source, text: area.value });
      if (mine !== seq) return; // a newer check is on its way
      if (r.error) { error.textContent = r.error; return; }
      error.textContent = "";
      preview.innerHTML = r.html; // rendered and escaped by the server
      showIssues(checks, r.issues);
      save.disabled = r.blocking;
    }
    area.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 120); });
    area.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); save.click(); }
      else if (ev.key === "Escape") { ev.preventDefault(); cancel.click(); }
    });
    cancel.addEventListener("click", () => { box.remove(); u.focus(); });
    save.addEventListener("click", async () => {
      save.disabled = true;
      const r = await call("/api/save", { unit: d.id, msgid: d.source, text: area.value, base: base });
      if (r.error) {
        error.textContent = r.error;
        say("not saved: " + r.error);
        save.disabled = false;
        return;
      }
      update(u, r.unit);
      document.getElementById("output-state").textContent = r.output;
      document.getElementById("reviewed-pct").textContent = r.reviewed;
      document.getElementById("issue-count").textContent = r.issues;
      say("saved line " + r.unit.line + " as reviewed; " + r.output, true);
      box.remove();
      u.focus();
    });
    area.focus();
    check();
  }

  for (const u of units()) {
    const script = u.querySelector("script.data");
    if (!script) continue;
    u.data = JSON.parse(script.textContent);
    const b = el("button", "edit", "Edit");
    b.type = "button";
    b.addEventListener("click", () => openEditor(u));
    u.querySelector(".meta").append(" ", b);
  }
})();
