/*
 * tracuu search box — a custom element any page can embed:
 *
 *   <script src="https://HOST/widget.js" defer></script>
 *   <tracuu-search endpoint="https://HOST"></tracuu-search>
 *
 * Attributes: endpoint (default: where this script came from), placeholder,
 * lang ("vi" or "en": the interface language), per-page (default 10),
 * facets (default "person,topic,year"), url-state (keep the search in the
 * page URL, for sharing and the back button).
 * Theme with CSS custom properties on the element: --tracuu-accent,
 * --tracuu-font, --tracuu-radius, --tracuu-bg, --tracuu-fg, --tracuu-muted,
 * --tracuu-border, --tracuu-mark.
 *
 * Every piece of text from the API is inserted as text; snippets are split
 * on the server's <mark> tags and rebuilt with DOM nodes, never innerHTML.
 */
(() => {
  "use strict";
  if (window.customElements.get("tracuu-search")) return;

  const SCRIPT_ORIGIN = document.currentScript
    ? new URL(document.currentScript.src, location.href).origin
    : location.origin;
  const SUGGEST_DELAY = 150;
  // Facet names with their English and Vietnamese titles, written in by
  // the server (from search/fields.py) when it serves this script.
  const FACETS = __TRACUU_FACETS__;
  const FACET_NAMES = Object.keys(FACETS);

  const LABELS = {
    en: {
      search: "Search", placeholder: "Search the archive: names, places, topics…",
      suggestions: "Suggestions", filters: "Filters", activeFilters: "Active filters",
      remove: (v) => `Remove filter ${v}`, results: (n, q) => q ? `${n} result${n === 1 ? "" : "s"} for “${q}”` : `${n} article${n === 1 ? "" : "s"}`,
      none: (q) => q ? `No results for “${q}”.` : "No articles match these filters.",
      noneHint: "Check the spelling, use fewer words, or remove a filter.",
      relaxed: "No article matched every word; these match some of them.",
      didYouMean: "Did you mean", more: "More results", loading: "Searching…",
      error: "Could not reach the search service. Check your connection and try again.",
      retry: "Try again", undated: "undated",
      kind: { person: "person", topic: "topic", title: "headline", term: "term" },
    },
    vi: {
      search: "Tìm", placeholder: "Tìm trong kho bài: tên người, địa danh, chủ đề…",
      suggestions: "Gợi ý", filters: "Bộ lọc", activeFilters: "Bộ lọc đang dùng",
      remove: (v) => `Bỏ bộ lọc ${v}`, results: (n, q) => q ? `${n} kết quả cho “${q}”` : `${n} bài`,
      none: (q) => q ? `Không có kết quả cho “${q}”.` : "Không có bài nào khớp các bộ lọc này.",
      noneHint: "Hãy kiểm tra chính tả, dùng ít từ hơn hoặc bỏ bớt bộ lọc.",
      relaxed: "Không bài nào có đủ mọi từ; đây là các bài có một phần.",
      didYouMean: "Có phải bạn muốn tìm", more: "Xem thêm", loading: "Đang tìm…",
      error: "Không kết nối được dịch vụ tìm kiếm. Hãy kiểm tra kết nối rồi thử lại.",
      retry: "Thử lại", undated: "không rõ ngày",
      kind: { person: "nhân vật", topic: "chủ đề", title: "tiêu đề", term: "từ khóa" },
    },
  };

  ["en", "vi"].forEach((lang, i) => {
    LABELS[lang].facet = Object.fromEntries(Object.entries(FACETS).map(([name, titles]) => [name, titles[i]]));
  });

  const CSS = `
    :host { --accent: var(--tracuu-accent, #0f5c8c); --fg: var(--tracuu-fg, #1c2430);
      --muted: var(--tracuu-muted, #5d6b7a); --bg: var(--tracuu-bg, #ffffff);
      --border: var(--tracuu-border, #d9dee5); --radius: var(--tracuu-radius, 10px);
      --mark: var(--tracuu-mark, #fff1a8);
      display: block; color: var(--fg); background: var(--bg);
      font: 16px/1.5 var(--tracuu-font, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif); }
    * { box-sizing: border-box; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    form { display: flex; gap: 8px; }
    .combo { position: relative; flex: 1; }
    input { width: 100%; font: inherit; padding: 12px 14px; border: 1px solid var(--border);
      border-radius: var(--radius); background: var(--bg); color: var(--fg); }
    input:focus { outline: 3px solid color-mix(in srgb, var(--accent) 35%, transparent); border-color: var(--accent); }
    button { font: inherit; cursor: pointer; }
    button:focus-visible, summary:focus-visible, a:focus-visible { outline: 3px solid color-mix(in srgb, var(--accent) 45%, transparent); outline-offset: 2px; }
    .go { padding: 0 20px; border: 0; border-radius: var(--radius); background: var(--accent); color: #fff; font-weight: 600; }
    [role=listbox] { position: absolute; z-index: 10; left: 0; right: 0; top: calc(100% + 4px); margin: 0; padding: 6px 0;
      list-style: none; background: var(--bg); border: 1px solid var(--border); border-radius: var(--radius);
      box-shadow: 0 8px 24px rgba(20, 30, 40, .12); max-height: 360px; overflow: auto; }
    [role=option] { display: flex; justify-content: space-between; gap: 12px; padding: 8px 14px; cursor: pointer; }
    [role=option][aria-selected=true] { background: color-mix(in srgb, var(--accent) 12%, var(--bg)); }
    [role=option] .kind { color: var(--muted); font-size: 13px; }
    .status { min-height: 1.5em; margin: 14px 2px 6px; color: var(--muted); font-size: 14px; }
    .chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 8px; }
    .chip { display: inline-flex; align-items: center; gap: 6px; padding: 3px 10px; border: 1px solid var(--border);
      border-radius: 999px; background: var(--bg); color: var(--fg); font-size: 13px; }
    .chip.active { background: var(--accent); border-color: var(--accent); color: #fff; }
    .chip .x { font-size: 15px; line-height: 1; }
    .layout { display: grid; grid-template-columns: 1fr; gap: 20px; }
    @media (min-width: 900px) { .layout.with-facets { grid-template-columns: 240px 1fr; } }
    details { border: 1px solid var(--border); border-radius: var(--radius); padding: 8px 14px; }
    summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
    .facet { margin: 10px 0 14px; }
    .facet h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 6px; }
    .facet ul { list-style: none; margin: 0; padding: 0; }
    .facet button { display: flex; justify-content: space-between; width: 100%; gap: 8px; padding: 4px 8px; margin: 1px 0;
      border: 0; border-radius: 6px; background: transparent; color: var(--fg); text-align: left; font-size: 14px; }
    .facet button:hover { background: color-mix(in srgb, var(--accent) 8%, var(--bg)); }
    .facet button[aria-pressed=true] { background: color-mix(in srgb, var(--accent) 15%, var(--bg)); font-weight: 600; }
    .facet .n { color: var(--muted); font-variant-numeric: tabular-nums; }
    ol.hits { list-style: none; margin: 0; padding: 0; }
    .hit { padding: 16px 0; border-bottom: 1px solid var(--border); }
    .hit h2 { font-size: 18px; line-height: 1.35; margin: 0 0 4px; }
    .hit h2 a { color: var(--accent); text-decoration: none; }
    .hit h2 a:hover { text-decoration: underline; }
    .meta { color: var(--muted); font-size: 13px; margin: 0 0 6px; }
    .snippet { margin: 0 0 8px; overflow-wrap: anywhere; }
    mark { background: var(--mark); color: inherit; padding: 0 1px; border-radius: 2px; }
    .hit .chips { margin: 0; }
    .hit .chip { cursor: pointer; }
    .hit .chip:hover { border-color: var(--accent); }
    .note { color: var(--muted); font-size: 14px; margin: 0 0 10px; }
    .link { border: 0; background: none; color: var(--accent); padding: 0; text-decoration: underline; }
    .more { display: block; margin: 18px auto 0; padding: 10px 22px; border: 1px solid var(--border);
      border-radius: var(--radius); background: var(--bg); color: var(--fg); }
    .empty, .error { padding: 28px 4px; }
    .error { color: #9b1c1c; }
    [aria-busy=true] { opacity: .55; transition: opacity .2s; }
    @media (max-width: 600px) { .go { padding: 0 14px; } .hit h2 { font-size: 17px; } }
  `;

  const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#x27": "'", "#39": "'" };

  function decodeEntities(text) {
    return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (all, name) => {
      if (name in ENTITIES) return ENTITIES[name];
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : all;
      }
      return all;
    });
  }

  /* The server escapes every character of a snippet and adds only <mark>
     and </mark>: split on those, and build text nodes and <mark> elements. */
  function snippetFragment(html) {
    const fragment = document.createDocumentFragment();
    const parts = String(html).split(/(<mark>|<\/mark>)/);
    let marked = null;
    for (const part of parts) {
      if (part === "<mark>") { marked = document.createElement("mark"); continue; }
      if (part === "</mark>") { if (marked) fragment.append(marked); marked = null; continue; }
      const node = document.createTextNode(decodeEntities(part));
      (marked || fragment).append(node);
    }
    if (marked) fragment.append(marked);
    return fragment;
  }

  /* A hit's link only for an absolute http(s) URL: a javascript: or data:
     URL would run script for whoever clicks it. Older indexes may hold
     such URLs, so the box checks even though ingest drops them. */
  function safeHref(url) {
    if (typeof url !== "string" || !url) return null;
    let parsed;
    try { parsed = new URL(url); } catch { return null; }
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
    return node;
  }

  // The styles as a constructed stylesheet, shared by every box on the
  // page: a host page's content security policy need not allow inline
  // styles for it (a <style> element, the fallback for browsers without
  // constructed stylesheets, needs style-src 'unsafe-inline').
  let sharedSheet;
  function styleSheet() {
    if (sharedSheet === undefined) {
      sharedSheet = null;
      if ("adoptedStyleSheets" in Document.prototype && "replaceSync" in CSSStyleSheet.prototype) {
        sharedSheet = new CSSStyleSheet();
        sharedSheet.replaceSync(CSS);
      }
    }
    return sharedSheet;
  }

  let instances = 0;

  class TracuuSearch extends HTMLElement {
    static get observedAttributes() { return ["lang", "placeholder"]; }

    constructor() {
      super();
      this.uid = `tracuu-${++instances}`;
      this.root = this.attachShadow({ mode: "open" });
      this.state = { q: "", filters: {}, page: 1, hits: [], total: 0, facets: {}, relaxed: false, didYouMean: null };
      this.suggestions = [];
      this.active = -1;
      this.composing = false;
      this.timer = null;
      this.suggestController = null;
      this.searchController = null;
    }

    get endpoint() { return (this.getAttribute("endpoint") || SCRIPT_ORIGIN).replace(/\/+$/, ""); }
    get labels() { return LABELS[(this.getAttribute("lang") || document.documentElement.lang || "en").slice(0, 2)] || LABELS.en; }
    get hl() { return this.labels === LABELS.vi ? "vi" : "en"; }
    get perPage() { const n = parseInt(this.getAttribute("per-page") || "10", 10); return Math.min(100, Math.max(1, n || 10)); }
    get facetNames() {
      return (this.getAttribute("facets") || "person,topic,year").split(",").map((s) => s.trim()).filter((s) => FACET_NAMES.includes(s));
    }
    get urlState() { return this.hasAttribute("url-state"); }

    connectedCallback() {
      if (!this.built) this.build();
      if (this.urlState) {
        this.onPopState = () => this.restoreFromUrl();
        window.addEventListener("popstate", this.onPopState);
        this.restoreFromUrl();
      }
    }

    disconnectedCallback() {
      if (this.onPopState) window.removeEventListener("popstate", this.onPopState);
    }

    attributeChangedCallback() {
      if (this.built) { this.applyLabels(); this.renderResults(); }
    }

    /* -- skeleton -------------------------------------------------------- */

    build() {
      this.built = true;
      const id = this.uid;
      this.input = el("input", {
        id: `${id}-q`, type: "search", role: "combobox", autocomplete: "off", spellcheck: "false",
        "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": `${id}-list`,
        oninput: () => this.onInput(), onkeydown: (e) => this.onKeyDown(e),
        oncompositionstart: () => this.onCompositionStart(), oncompositionend: () => this.onCompositionEnd(),
        onblur: () => setTimeout(() => this.closeList(), 120),
      });
      this.inputLabel = el("label", { class: "sr", for: `${id}-q` });
      this.list = el("ul", { id: `${id}-list`, role: "listbox", hidden: true });
      this.goButton = el("button", { class: "go", type: "submit" });
      this.form = el("form", { role: "search", onsubmit: (e) => { e.preventDefault(); this.submit(); } },
        el("div", { class: "combo" }, this.inputLabel, this.input, this.list), this.goButton);
      this.status = el("div", { class: "status", role: "status", "aria-live": "polite" });
      this.chips = el("div", { class: "chips", role: "group" });
      this.facetBox = el("details", { class: "facets" });
      this.results = el("div", { class: "results" });
      this.layout = el("div", { class: "layout" }, el("aside", {}, this.facetBox), this.results);
      const sheet = styleSheet();
      if (sheet) this.root.adoptedStyleSheets = [sheet];
      this.root.append(...(sheet ? [] : [el("style", { text: CSS })]), this.form, this.status, this.chips,
        this.layout);
      this.facetBox.open = window.matchMedia("(min-width: 900px)").matches;
      this.facetBox.hidden = true;
      this.applyLabels();
    }

    applyLabels() {
      const t = this.labels;
      this.input.placeholder = this.getAttribute("placeholder") || t.placeholder;
      this.inputLabel.textContent = t.search;
      this.goButton.textContent = t.search;
      this.list.setAttribute("aria-label", t.suggestions);
      this.chips.setAttribute("aria-label", t.activeFilters);
    }

    /* -- suggestions as you type ----------------------------------------- */

    onInput() {
      clearTimeout(this.timer);
      if (this.composing) return; // an input method is still composing: wait for the word
      this.timer = setTimeout(() => this.suggest(), SUGGEST_DELAY);
    }

    onCompositionStart() {
      this.composing = true;
      clearTimeout(this.timer);
      if (this.suggestController) this.suggestController.abort();
    }

    onCompositionEnd() {
      this.composing = false;
      this.onInput();
    }

    async suggest() {
      const q = this.input.value.trim();
      if (this.suggestController) this.suggestController.abort(); // a newer keystroke wins
      if (!q) { this.closeList(); return; }
      const controller = new AbortController();
      this.suggestController = controller;
      try {
        const url = `${this.endpoint}/api/suggest?${new URLSearchParams({ q, limit: "8" })}`;
        const response = await fetch(url, { signal: controller.signal });
        if (!response.ok) { this.closeList(); return; }
        const body = await response.json();
        if (controller.signal.aborted || body.q !== q || this.input.value.trim() !== q) return;
        this.showSuggestions(body.suggestions || []);
      } catch (error) {
        if (error.name !== "AbortError") this.closeList();
      }
    }

    showSuggestions(items) {
      this.suggestions = items;
      this.active = -1;
      this.list.replaceChildren(...items.map((s, i) => el("li", {
        id: `${this.uid}-opt-${i}`, role: "option", "aria-selected": "false",
        onmousedown: (e) => { e.preventDefault(); this.pick(i); },
      }, el("span", { text: s.text }), el("span", { class: "kind", text: this.labels.kind[s.kind] || s.kind }))));
      this.list.hidden = items.length === 0;
      this.input.setAttribute("aria-expanded", String(items.length > 0));
      this.input.removeAttribute("aria-activedescendant");
    }

    closeList() {
      this.list.hidden = true;
      this.active = -1;
      this.input.setAttribute("aria-expanded", "false");
      this.input.removeAttribute("aria-activedescendant");
    }

    move(delta) {
      if (!this.suggestions.length) return;
      if (this.list.hidden) { this.list.hidden = false; this.input.setAttribute("aria-expanded", "true"); }
      const n = this.suggestions.length;
      this.active = this.active < 0 ? (delta > 0 ? 0 : n - 1) : (this.active + delta + n) % n;
      [...this.list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === this.active)));
      const option = this.list.children[this.active];
      this.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    onKeyDown(event) {
      if (event.isComposing || this.composing) return;
      if (event.key === "ArrowDown") { event.preventDefault(); this.move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); this.move(-1); }
      else if (event.key === "Escape") { if (!this.list.hidden) { event.preventDefault(); this.closeList(); } }
      else if (event.key === "Enter" && !this.list.hidden && this.active >= 0) { event.preventDefault(); this.pick(this.active); }
    }

    pick(i) {
      const s = this.suggestions[i];
      this.closeList();
      clearTimeout(this.timer);
      if (this.suggestController) this.suggestController.abort();
      if (s.kind === "person" || s.kind === "topic") {
        this.input.value = "";
        this.state.q = "";
        this.state.filters = { ...this.state.filters, [s.kind]: [s.value] };
      } else {
        this.input.value = s.text;
        this.state.q = s.text;
      }
      this.run({ push: true });
    }

    submit() {
      clearTimeout(this.timer);
      if (this.suggestController) this.suggestController.abort();
      this.closeList();
      this.state.q = this.input.value.trim();
      this.run({ push: true });
    }

    /* -- searching -------------------------------------------------------- */

    toggle(facet, value) {
      const current = this.state.filters[facet] || [];
      const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
      this.state.filters = { ...this.state.filters, [facet]: next };
      this.run({ push: true });
    }

    params(page) {
      const p = new URLSearchParams();
      if (this.state.q) p.set("q", this.state.q);
      for (const [facet, values] of Object.entries(this.state.filters)) for (const v of values) p.append(facet, v);
      p.set("page", String(page));
      p.set("per_page", String(this.perPage));
      p.set("facets", this.facetNames.join(","));
      p.set("hl", this.hl);
      return p;
    }

    async run({ push = false, append = false } = {}) {
      const page = append ? this.state.page + 1 : 1;
      if (push && this.urlState) this.pushUrl();
      if (this.searchController) this.searchController.abort();
      const controller = new AbortController();
      this.searchController = controller;
      this.results.setAttribute("aria-busy", "true");
      this.status.textContent = this.labels.loading;
      let body;
      try {
        const response = await fetch(`${this.endpoint}/api/search?${this.params(page)}`, { signal: controller.signal });
        body = await response.json().catch(() => null);
        if (!response.ok) throw new Error((body && body.detail) || `HTTP ${response.status}`);
      } catch (error) {
        if (error.name === "AbortError") return;
        this.showError(error);
        return;
      } finally {
        if (this.searchController === controller) this.results.removeAttribute("aria-busy");
      }
      if (controller.signal.aborted) return;
      this.state.page = page;
      this.state.hits = append ? this.state.hits.concat(body.hits) : body.hits;
      this.state.total = body.total;
      this.state.facets = body.facets || {};
      this.state.relaxed = body.relaxed;
      this.state.didYouMean = body.did_you_mean;
      this.state.error = null;
      this.state.searched = true;
      this.status.textContent = this.labels.results(body.total, this.state.q);
      this.renderResults();
      this.dispatchEvent(new CustomEvent("tracuu-results", { detail: { total: body.total }, bubbles: true }));
    }

    showError(error) {
      this.state.error = error;
      const t = this.labels;
      const offline = error instanceof TypeError;
      this.status.textContent = offline ? t.error : String(error.message);
      this.results.replaceChildren(el("div", { class: "error", role: "alert" },
        el("p", { text: offline ? t.error : String(error.message) }),
        el("button", { class: "more", type: "button", text: t.retry, onclick: () => this.run() })));
    }

    /* -- results ----------------------------------------------------------- */

    renderResults() {
      if (!this.state.searched) return;
      const t = this.labels;
      const s = this.state;
      this.renderChips();
      this.renderFacets();
      const parts = [];
      if (s.didYouMean) {
        parts.push(el("p", { class: "note" }, `${t.didYouMean} `,
          el("button", { class: "link", type: "button", text: s.didYouMean.q, onclick: () => {
            this.input.value = s.didYouMean.q; this.state.q = s.didYouMean.q; this.run({ push: true });
          } }), ` (${s.didYouMean.total})?`));
      }
      if (s.relaxed) parts.push(el("p", { class: "note", text: t.relaxed }));
      if (!s.hits.length) {
        parts.push(el("div", { class: "empty" }, el("p", { text: t.none(s.q) }), el("p", { class: "note", text: t.noneHint })));
      } else {
        parts.push(el("ol", { class: "hits" }, ...s.hits.map((hit) => this.renderHit(hit))));
        if (s.hits.length < s.total) {
          parts.push(el("button", { class: "more", type: "button", text: t.more, onclick: () => this.run({ append: true }) }));
        }
      }
      this.results.replaceChildren(...parts);
    }

    renderHit(hit) {
      const t = this.labels;
      const title = hit.title || (hit.snippet ? decodeEntities(hit.snippet.replace(/<\/?mark>/g, "")).slice(0, 90) : hit.id);
      const href = safeHref(hit.url);
      const heading = href
        ? el("a", { href, rel: "noopener", target: "_blank", text: title })
        : el("span", { text: title });
      const meta = [hit.date || t.undated, hit.source].filter(Boolean).join(" · ");
      const chips = [
        ...hit.persons.map((p) => el("button", { class: "chip", type: "button", text: p.label,
          onclick: () => this.toggle("person", p.key) })),
        ...hit.topics.map((tp) => el("button", { class: "chip", type: "button", text: tp.label,
          onclick: () => this.toggle("topic", tp.id) })),
      ];
      return el("li", { class: "hit" },
        el("h2", {}, heading),
        el("p", { class: "meta", text: meta }),
        el("p", { class: "snippet" }, snippetFragment(hit.snippet || "")),
        chips.length ? el("div", { class: "chips" }, ...chips) : null);
    }

    label(facet, value) {
      const found = (this.state.facets[facet] || []).find((v) => v.value === value);
      return found ? found.label : value;
    }

    renderChips() {
      const t = this.labels;
      const chips = [];
      for (const [facet, values] of Object.entries(this.state.filters)) {
        for (const value of values) {
          const text = `${t.facet[facet] || facet}: ${this.label(facet, value)}`;
          chips.push(el("button", { class: "chip active", type: "button", "aria-label": t.remove(text),
            onclick: () => this.toggle(facet, value) }, el("span", { text }), el("span", { class: "x", "aria-hidden": "true", text: "×" })));
        }
      }
      this.chips.replaceChildren(...chips);
    }

    renderFacets() {
      const t = this.labels;
      const groups = this.facetNames
        .filter((name) => (this.state.facets[name] || []).length)
        .map((name) => el("section", { class: "facet" },
          el("h2", { text: t.facet[name] || name }),
          el("ul", {}, ...this.state.facets[name].map((v) => el("li", {},
            el("button", { type: "button", "aria-pressed": String(v.selected), onclick: () => this.toggle(name, v.value) },
              el("span", { text: v.label }), el("span", { class: "n", text: String(v.count) })))))));
      this.facetBox.replaceChildren(el("summary", { text: t.filters }), ...groups);
      this.layout.classList.toggle("with-facets", groups.length > 0);
      this.facetBox.hidden = groups.length === 0;
    }

    /* -- the page URL ------------------------------------------------------ */

    pushUrl() {
      const p = new URLSearchParams();
      if (this.state.q) p.set("q", this.state.q);
      for (const [facet, values] of Object.entries(this.state.filters)) for (const v of values) p.append(facet, v);
      const url = `${location.pathname}${p.toString() ? `?${p}` : ""}`;
      if (url !== `${location.pathname}${location.search}`) history.pushState(null, "", url);
    }

    restoreFromUrl() {
      const p = new URLSearchParams(location.search);
      const filters = {};
      for (const facet of FACET_NAMES) {
        const values = p.getAll(facet);
        if (values.length) filters[facet] = values;
      }
      this.state.q = p.get("q") || "";
      this.state.filters = filters;
      this.input.value = this.state.q;
      if (this.state.q || Object.keys(filters).length) this.run();
      else { this.state.searched = false; this.results.replaceChildren(); this.chips.replaceChildren();
        this.facetBox.hidden = true; this.status.textContent = ""; }
    }
  }

  window.customElements.define("tracuu-search", TracuuSearch);
})();
