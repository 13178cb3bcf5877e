"""The search box in a real browser: typing, suggestions, facets, safety,
embedding from other origins, and input methods that compose characters."""

import re

import pytest
from playwright.sync_api import expect


def hit_titles(page):
    return page.locator("tracuu-search li.hit h2")


def search(page, text):
    box = page.locator("tracuu-search input")
    box.fill(text)
    box.press("Enter")


def test_typing_to_lam_shows_the_to_lam_articles(page, server):
    page.goto(server + "/")
    search(page, "to lam")
    expect(hit_titles(page)).to_have_count(2)
    expect(hit_titles(page).first).to_have_text("Senior CPC official meets Vietnamese public security minister")
    expect(page.locator("tracuu-search [role=status]")).to_have_text("2 results for “to lam”")
    expect(page.locator("tracuu-search .snippet mark", has_text="To Lam").first).to_be_visible()
    assert page.url.endswith("/?q=to+lam")


def test_a_partial_name_suggests_and_the_keyboard_picks(page, server):
    page.goto(server + "/")
    box = page.locator("tracuu-search input")
    box.press_sequentially("nguy", delay=30)
    option = page.locator("tracuu-search [role=option]").first
    expect(option).to_contain_text("Nguyễn Phú Trọng")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"-opt-0$"))
    box.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("tracuu-search .chips .chip.active")).to_contain_text("Nguyễn Phú Trọng")
    expect(hit_titles(page)).to_have_count(2)
    box.press("Escape")


def test_escape_closes_the_suggestions(page, server):
    page.goto(server + "/")
    box = page.locator("tracuu-search input")
    box.press_sequentially("cai", delay=30)
    expect(page.locator("tracuu-search [role=listbox]")).to_be_visible()
    box.press("Escape")
    expect(page.locator("tracuu-search [role=listbox]")).to_be_hidden()
    expect(box).to_be_focused()


def test_a_person_facet_narrows_and_its_chip_removes_it(page, server):
    page.goto(server + "/")
    search(page, "cooperation")
    expect(hit_titles(page)).to_have_count(5)
    facet = page.locator("tracuu-search .facet button", has_text="Tô Lâm")
    expect(facet.locator(".n")).to_have_text("2")
    facet.click()
    expect(hit_titles(page)).to_have_count(2)
    expect(facet).to_have_attribute("aria-pressed", "true")
    chip = page.locator("tracuu-search .chips .chip.active")
    expect(chip).to_have_text(re.compile("People: Tô Lâm"))
    assert "person=to-lam" in page.url
    chip.click()
    expect(hit_titles(page)).to_have_count(5)
    expect(page.locator("tracuu-search .chips .chip.active")).to_have_count(0)
    page.go_back()  # the back button restores the narrowed search
    expect(hit_titles(page)).to_have_count(2)


def test_a_vietnamese_query_with_diacritics(page, server):
    page.goto(server + "/?lang=vi")
    search(page, "Hà Nội")
    expect(hit_titles(page).first).to_have_text("Hà Nội đón mùa thu với nhiều lễ hội văn hóa")
    expect(page.locator("tracuu-search li.hit").first.locator("mark").first).to_have_text("Hà Nội")
    expect(page.locator("tracuu-search [role=status]")).to_contain_text("kết quả cho “Hà Nội”")
    expect(page.locator("tracuu-search .go")).to_have_text("Tìm")


def test_markup_from_a_document_is_shown_as_text(page, server):
    page.goto(server + "/")
    search(page, "xylophone")
    expect(hit_titles(page)).to_have_count(1)
    expect(hit_titles(page).first).to_have_text("<img src=x onerror=alert(1)>")
    expect(page.locator("tracuu-search img")).to_have_count(0)
    expect(page.locator("tracuu-search script")).to_have_count(0)
    expect(page.locator("tracuu-search .snippet")).to_contain_text("<script>alert('xylophone')</script>")
    page.wait_for_timeout(300)
    assert page.dialogs == []


def test_embedding_from_an_allowed_and_a_refused_origin(page, server, third_party):
    allowed, refused = third_party
    page.goto(allowed)
    search(page, "zhao kezhi")
    expect(hit_titles(page)).to_have_count(2)
    page.goto(refused)
    search(page, "zhao kezhi")
    expect(page.locator("tracuu-search [role=alert]")).to_contain_text("Could not reach the search service")
    expect(hit_titles(page)).to_have_count(0)


def test_no_request_while_an_input_method_composes(page, server):
    page.goto(server + "/")
    suggests = []
    page.on("request", lambda r: suggests.append(r.url) if "/api/suggest" in r.url else None)
    box = page.locator("tracuu-search input")
    box.focus()
    # Telex typing of "Lâm": the input method composes l, la, laa → lâ, lâm
    page.evaluate("""() => {
        const input = document.querySelector('tracuu-search').shadowRoot.querySelector('input');
        input.dispatchEvent(new CompositionEvent('compositionstart', {data: ''}));
        for (const value of ['l', 'la', 'lâ', 'lâm']) {
            input.value = value;
            input.dispatchEvent(new InputEvent('input', {data: value, isComposing: true}));
        }
    }""")
    page.wait_for_timeout(600)
    assert suggests == []
    page.evaluate("""() => {
        const input = document.querySelector('tracuu-search').shadowRoot.querySelector('input');
        input.dispatchEvent(new CompositionEvent('compositionend', {data: 'lâm'}));
    }""")
    expect(page.locator("tracuu-search [role=option]").first).to_contain_text("Tô Lâm")
    assert len(suggests) == 1 and "q=l%C3%A2m" in suggests[0]


SLOW_FETCH = """
    window.__suggests = [];
    const realFetch = window.fetch;
    window.fetch = (url, options = {}) => {
        const u = String(url);
        if (!u.includes('/api/suggest')) return realFetch(url, options);
        const entry = {q: new URL(u).searchParams.get('q'), signal: options.signal};
        window.__suggests.push(entry);
        // the answer for "ca" comes late: a newer keystroke must abort it
        const delay = entry.q === 'ca' ? 800 : 0;
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => realFetch(url, options).then(resolve, reject), delay);
            options.signal && options.signal.addEventListener('abort', () => {
                clearTimeout(timer); reject(new DOMException('aborted', 'AbortError'));
            });
        });
    };
"""


@pytest.mark.bypass_csp
def test_stale_suggestions_are_aborted(page, server):
    page.add_init_script(SLOW_FETCH)
    page.goto(server + "/")
    box = page.locator("tracuu-search input")
    box.press_sequentially("ca", delay=10)
    page.wait_for_function("window.__suggests.length === 1")
    box.press_sequentially("i q", delay=10)
    expect(page.locator("tracuu-search [role=option]").first).to_contain_text("Cai Qi")
    sent = page.evaluate("window.__suggests.map(s => [s.q, s.signal.aborted])")
    assert sent[0] == ["ca", True] and sent[-1] == ["cai q", False]
    page.wait_for_timeout(900)  # the stale answer would have arrived by now
    expect(page.locator("tracuu-search [role=option]").first).to_contain_text("Cai Qi")


def test_a_shared_url_restores_the_search(page, server):
    page.goto(server + "/?q=wang+yi&year=2023")
    expect(hit_titles(page)).to_have_count(1)
    expect(page.locator("tracuu-search input")).to_have_value("wang yi")
    expect(page.locator("tracuu-search .chips .chip.active")).to_contain_text("2023")


def test_more_results_and_the_empty_state(page, server):
    page.goto(server + "/")
    page.evaluate("document.querySelector('tracuu-search').setAttribute('per-page', '2')")
    search(page, "cooperation")
    expect(hit_titles(page)).to_have_count(2)
    page.locator("tracuu-search button.more").click()
    expect(hit_titles(page)).to_have_count(4)
    search(page, "zzzqqq")
    expect(page.locator("tracuu-search .empty")).to_contain_text("No results for “zzzqqq”")


def test_the_page_works_with_the_keyboard_alone(page, server):
    page.goto(server + "/")
    page.keyboard.press("Tab")  # header links come first
    for _ in range(6):
        if page.evaluate("document.activeElement && document.activeElement.tagName") == "TRACUU-SEARCH":
            break
        page.keyboard.press("Tab")
    page.keyboard.type("belt and road")
    page.keyboard.press("Enter")
    expect(hit_titles(page)).to_have_count(1)


def test_only_http_links_become_links(page, server):
    """An index written before ingest dropped unsafe URLs may still hold one:
    the box must not turn it into a link."""
    import json

    def hostile(route):
        response = route.fetch()
        body = response.json()
        urls = ["javascript:alert(document.domain)", "https://example.com/story",
                "data:text/html,<script>alert(1)</script>"]
        for hit, url in zip(body["hits"], urls):
            hit["url"] = url
        route.fulfill(response=response, body=json.dumps(body))

    page.route("**/api/search?*", hostile)
    page.goto(server + "/")
    search(page, "cooperation")
    expect(hit_titles(page)).to_have_count(5)
    links = page.locator("tracuu-search li.hit h2 a")
    expect(links).to_have_count(1)
    expect(links).to_have_attribute("href", "https://example.com/story")
    expect(hit_titles(page).nth(0)).to_have_text(re.compile(r"\S"))
    hit_titles(page).nth(0).click()
    hit_titles(page).nth(2).click()
    assert page.dialogs == []


AXE_PAGES = ["/", "/embed", "/?q=cooperation&person=to-lam", "/?lang=vi&q=zzzzqqq", "/?q=hanoi&lang=vi"]


@pytest.mark.bypass_csp
@pytest.mark.parametrize("path", AXE_PAGES)
def test_axe_finds_no_accessibility_violations(page, server, axe, path):
    """axe-core, injected into the page, checks WCAG 2.2 A/AA and best
    practices, inside the search box's shadow root too."""
    page.goto(server + path)
    page.locator("tracuu-search input").wait_for()
    if "q=" in path:
        expect(page.locator("tracuu-search [role=status]")).not_to_be_empty()
    violations = axe(page)
    assert violations == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}" for v in violations)


def test_the_search_page_runs_under_its_content_security_policy(page, server):
    """No inline script and no eval: the page answers a search with its
    policy on, and the browser reports no violation."""
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(server + "/?q=hanoi")
    expect(page.locator("tracuu-search [role=status]")).not_to_be_empty()
    expect(page.locator("tracuu-search ol.hits li").first).to_be_visible()
    assert violations == []


def test_the_box_works_on_a_host_page_with_a_strict_policy(page, server, third_party):
    """A host page that allows the tracuu server's script and API and no
    inline style: the box is styled (its stylesheet is constructed, not
    inline), searches, and the browser reports no violation."""
    allowed, _ = third_party
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(allowed + "strict.html")
    page.locator("tracuu-search input").fill("hanoi")
    page.locator("tracuu-search input").press("Enter")
    expect(page.locator("tracuu-search ol.hits li").first).to_be_visible()
    # styled: the results list has its markers taken away by the box's own styles
    assert page.locator("tracuu-search ol.hits").evaluate("e => getComputedStyle(e).listStyleType") == "none"
    assert violations == []
