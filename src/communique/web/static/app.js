// communique serve: tooltips and the article view's links between highlights and events.
// Served from this server only (the Content-Security-Policy forbids inline script); every text it
// shows is set with textContent, never parsed as HTML.
"use strict";

(function () {
  const tip = document.getElementById("tip");
  const ROLE_LABEL = {
    trigger: "trigger", actor: "actor", recipient: "recipient", date: "date", place: "place",
    speaker: "speaker", cue: "quote cue", quote: "quotation", reported: "reported speech", evidence: "evidence",
    entity: "named actor",
  };

  function showTip(lines, x, y) {
    if (!tip) return;
    tip.replaceChildren();
    for (const [role, text] of lines) {
      const div = document.createElement("div");
      div.className = "tip-line";
      if (role) {
        const r = document.createElement("span");
        r.className = "tip-role";
        r.textContent = role;
        div.appendChild(r);
      }
      div.appendChild(document.createTextNode(text));
      tip.appendChild(div);
    }
    tip.hidden = false;
    const w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.max(4, Math.min(window.innerWidth - w - 8, x + 14)) + "px";
    tip.style.top = (y + h + 24 > window.innerHeight ? y - h - 12 : y + 18) + "px";
  }

  function hideTip() { if (tip) tip.hidden = true; }

  // charts, map and network: every shape with data-tip
  document.querySelectorAll("[data-tip]").forEach(function (el) {
    el.addEventListener("mousemove", function (ev) { showTip([[null, el.getAttribute("data-tip")]], ev.clientX, ev.clientY); });
    el.addEventListener("mouseleave", hideTip);
  });

  // the article view
  const text = document.getElementById("article-text");
  if (!text) return;
  const marks = Array.from(text.querySelectorAll("mark.hl"));
  const byOwner = new Map();
  for (const m of marks) {
    for (const item of (m.dataset.marks || "").split(" ")) {
      const owner = item.split(":")[0];
      if (!owner) continue;
      if (!byOwner.has(owner)) byOwner.set(owner, new Set());
      byOwner.get(owner).add(m);
    }
  }

  function parse(mark) {
    const owners = new Map();  // owner -> [roles]
    for (const item of (mark.dataset.marks || "").split(" ")) {
      const [owner, role] = item.split(":");
      if (!owner) continue;
      if (!owners.has(owner)) owners.set(owner, []);
      owners.get(owner).push(role);
    }
    return owners;
  }

  function focus(owners) {
    document.body.classList.add("focus");
    for (const owner of owners) {
      for (const m of byOwner.get(owner) || []) m.classList.add("lit");
      const card = document.getElementById(owner);
      if (card) card.classList.add("lit");
    }
  }

  function unfocus() {
    document.body.classList.remove("focus");
    document.querySelectorAll(".lit").forEach(function (el) { el.classList.remove("lit"); });
  }

  function describe(mark) {
    const lines = [];
    const owners = parse(mark);
    const coded = Array.from(owners.keys()).some(function (o) { return o[0] !== "n"; });
    for (const [owner, roles] of owners) {
      if (coded && owner[0] === "n") continue;  // a name inside an event: the event says more
      const card = document.getElementById(owner);
      const summary = card ? card.querySelector(".summary").textContent.replace(/\s+/g, " ").trim() : owner;
      const shown = roles.filter(function (r) { return r !== "evidence" || roles.length === 1; });
      lines.push([shown.map(function (r) { return ROLE_LABEL[r] || r; }).join(", "), " " + summary]);
    }
    return lines;
  }

  function onMark(ev) {
    const mark = ev.currentTarget;
    let owners = Array.from(parse(mark).keys());
    if (owners.some(function (o) { return o[0] !== "n"; })) owners = owners.filter(function (o) { return o[0] !== "n"; });
    unfocus();
    focus(owners);
    const box = mark.getBoundingClientRect();
    showTip(describe(mark), ev.clientX || box.left, ev.clientY || box.bottom);
  }

  for (const m of marks) {
    m.addEventListener("mouseenter", onMark);
    m.addEventListener("focus", onMark);
    m.addEventListener("mouseleave", function () { unfocus(); hideTip(); });
    m.addEventListener("blur", function () { unfocus(); hideTip(); });
  }

  document.querySelectorAll(".card[data-owner], li.entity[data-owner]").forEach(function (card) {
    const owner = card.dataset.owner;
    card.addEventListener("mouseenter", function () { unfocus(); focus([owner]); });
    card.addEventListener("mouseleave", unfocus);
    card.addEventListener("click", function () {
      const own = Array.from(byOwner.get(owner) || []);
      const main = ["trigger", "quote", "reported"].map(function (r) { return owner + ":" + r; });
      const first = own.find(function (m) {
        return m.dataset.marks.split(" ").some(function (x) { return main.includes(x); });
      }) || own[0];
      if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
      history.replaceState(null, "", "#" + owner);
    });
  });

  // the legend: hovering a role lights every stretch of text that has it
  document.querySelectorAll(".legend .key[data-role]").forEach(function (key) {
    function light() {
      unfocus();
      document.body.classList.add("focus");
      text.querySelectorAll("mark.hl.has-" + key.dataset.role).forEach(function (m) { m.classList.add("lit"); });
    }
    key.addEventListener("mouseenter", light);
    key.addEventListener("focus", light);
    key.addEventListener("mouseleave", unfocus);
    key.addEventListener("blur", unfocus);
  });

  // arriving at #e3 (from the event list): show that event's words
  let timer = null;
  function showTarget() {
    const target = location.hash.slice(1);
    if (!target || !byOwner.has(target)) return;
    unfocus();
    focus([target]);
    Array.from(byOwner.get(target))[0].scrollIntoView({ block: "center" });
    clearTimeout(timer);
    timer = setTimeout(unfocus, 2500);
  }
  showTarget();
  window.addEventListener("hashchange", showTarget);
})();
