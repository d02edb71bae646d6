"""The exported HTML page in a real headless Chromium (Debian's chromium + chromium-driver, driven by selenium).

The page is opened from file:// and must: load with no console error and no network request at
all, draw the roles, pan and zoom, find nodes, show a role's requirement tree with its quotes on
click, and show a hostile label as text without running it. In CI (CI=true) none of these may
skip: a missing browser is a failure (conftest.NO_SKIP_IN_CI).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import time
from pathlib import Path

import pytest

import radgraph
from radgraph import export
from radgraph.namespaces import shorten

from .conftest import _in_ci
from .test_export import HOSTILE, HOSTILE_ID, HOSTILE_TTL

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,900"]


def _missing(message: str):
    if _in_ci():
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")  # one Chromium per pytest-xdist worker
def browser(tmp_path_factory):
    """One headless Chromium for the session (per worker), with its console and network (CDP) events logged."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is missing: pip install -e '.[test]'")
    chromium = shutil.which("chromium") or (CHROMIUM if shutil.which(CHROMIUM) else None)
    driver_path = shutil.which("chromedriver") or (CHROMEDRIVER if shutil.which(CHROMEDRIVER) else None)
    if chromium is None or driver_path is None:
        _missing("Chromium or ChromeDriver is missing: apt-get install chromium chromium-driver (.ci/run does)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


class Page:
    """A page opened from file://, with what the browser logged while it loaded."""

    def __init__(self, driver, path):
        self.driver = driver
        self.url = path.resolve().as_uri()
        driver.get("about:blank")
        driver.get_log("browser")  # drop what came before this page
        driver.get_log("performance")
        driver.get(self.url)
        deadline = time.monotonic() + 30
        while self.js("return document.body && document.body.getAttribute('data-ready')") != "1":
            assert time.monotonic() < deadline, "the page's script never finished: " + str(self.console())
            time.sleep(0.05)
        self.requests = self._requests()

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def console(self):
        return [e for e in self.driver.get_log("browser")]

    def _requests(self):
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        # chrome:// pages are the browser's own (its new-tab page), never this page's
        return [u for u in urls if not u.startswith("chrome://")]

    def node(self, node_id):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, f'.node[data-id="{node_id}"]')

    def panel_text(self):
        return self.js("return document.getElementById('details').textContent")


@pytest.fixture(scope="module")
def ladder_page_file(tmp_path_factory, model):
    path = tmp_path_factory.mktemp("html") / "ladder.html"
    export.write_html(export.ladder_view(model), path, model)
    return path


@pytest.fixture
def ladder_page(browser, ladder_page_file):
    return Page(browser, ladder_page_file)


def test_page_loads_offline_without_errors_or_requests(ladder_page):
    page = ladder_page
    assert page.console() == []  # no error, no warning, no CSP violation
    assert page.requests == [page.url]  # the page itself, and nothing else
    assert page.js("return performance.getEntriesByType('resource').length") == 0
    csp = page.js("return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content")
    assert csp == "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
    assert page.js("return document.scripts.length") == 2
    assert page.js("return [...document.scripts].every(s => !s.src)")
    assert page.js("return document.querySelectorAll('link[rel=stylesheet], img, iframe, object, embed').length") == 0


def test_every_role_is_drawn_with_its_label(ladder_page, model):
    drawn = ladder_page.js("""
        return [...document.querySelectorAll('.node.kind-role')].map(g => {
            const box = g.getBoundingClientRect();
            const name = [...g.querySelectorAll('text.name')].map(t => t.textContent).join(' ');
            const sub = [...g.querySelectorAll('text.sub')].map(t => t.textContent).join(' ');
            return [g.dataset.id, name, sub, box.width, box.height];
        });""")
    labels = {shorten(r.id): r.label for r in model.roles.values()}
    assert sorted(d[0] for d in drawn) == sorted(labels)
    for node_id, label, sub, width, height in drawn:
        assert label == labels[node_id]  # in lines, broken at spaces
        assert sub.startswith("to enter: ") and "0 months" not in sub, (node_id, sub)
        assert width > 20 and height > 5, node_id
    # "no role yet" is drawn only when a path leaves it: each box says how long it takes to enter
    assert ladder_page.js("return document.querySelectorAll('.node.kind-start').length") == 0
    edges = ladder_page.js("return document.querySelectorAll('.edge').length")
    assert edges == export.drawn_view(export.ladder_view(model)).number_of_edges()


ORDERED = ["role:radiology-imaging-procedure-assistant", "role:radiologic-technologist",
           ("role:interventional-radiology-technologist", "role:registered-radiologist-assistant"), "role:radiologist"]


def test_tiers_run_bottom_to_top(ladder_page, model):
    """Each band stands above the one before; each role inside its band; the five roles of the issue in order."""
    boxes = ladder_page.js("""
        const out = {};
        document.querySelectorAll('.node, .band').forEach(g => {
            const r = g.getBoundingClientRect();
            out[g.dataset.id || 'band' + g.dataset.tier] = [r.top, r.bottom];
        });
        return out;""")
    G = export.ladder_view(model)
    tiers = {n: G.nodes[n]["tier"] for n in G if n != "none"}
    for a in tiers:
        top, bottom = boxes[f"band{tiers[a]}"]
        assert top <= boxes[a][0] and boxes[a][1] <= bottom, a
        for b in tiers:
            if tiers[a] < tiers[b]:
                assert boxes[b][1] < boxes[a][0], (a, b)  # b's box wholly above a's
    flat = [(x,) if isinstance(x, str) else x for x in ORDERED]
    for lower, upper in zip(flat, flat[1:], strict=False):
        assert max(boxes[u][1] for u in upper) < min(boxes[low][0] for low in lower), (lower, upper)


def test_clicking_a_role_shows_its_requirement_tree_and_quotes(ladder_page, model):
    ladder_page.node("role:radiologist").click()
    text = ladder_page.panel_text()
    role = model.find_role("Radiologist")
    assert ladder_page.js("return document.querySelector('#details h2').textContent") == "Radiologist"
    assert "Requires (to enter)" in text and "Must maintain" in text
    assert "ALL OF" in text and "ANY ONE OF" in text
    for node in radgraph.model.walk(role.requires):
        for e in node.sources:
            assert f"\u201c{e.quote}\u201d" in text
    assert "Board certification in Diagnostic Radiology" in text
    assert ladder_page.js("return document.getElementById('details').dataset.selected") == "role:radiologist"
    assert ladder_page.js("return document.querySelectorAll('.node.selected').length") == 1


def test_clicking_a_rung_shows_what_the_step_takes(ladder_page):
    ladder_page.js("""
        const e = document.querySelector('.edge[data-source="role:radiologic-technologist"]'
                                          + '[data-target="role:interventional-radiology-technologist"] path.hit');
        e.dispatchEvent(new MouseEvent('click', {bubbles: true}));""")
    text = ladder_page.panel_text()
    assert "Radiologic Technologist \u2192 Interventional Radiology Technologist" in text
    assert "Earn" in text and "iSTAT certification" in text and "Venipuncture certification" in text


def test_search_finds_and_selects(ladder_page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = ladder_page.driver.find_element(By.ID, "search")
    box.send_keys("mammo")
    assert ladder_page.js("return document.getElementById('matches').textContent") == "1 match"
    assert ladder_page.js("return [...document.querySelectorAll('.node.match')].map(g => g.dataset.id)") == \
        ["role:mammographer"]
    assert ladder_page.js("return document.querySelectorAll('.node.dim').length") == 11
    box.send_keys(Keys.ENTER)
    assert ladder_page.js("return document.querySelector('#details h2').textContent") == "Mammographer"
    box.send_keys(Keys.ESCAPE)
    assert ladder_page.js("return document.querySelectorAll('.node.dim, .node.match').length") == 0


def test_pan_and_zoom(ladder_page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
    from selenium.webdriver.common.by import By

    def transform():
        return ladder_page.js("return document.getElementById('viewport').getAttribute('transform')")

    def scale():
        return float(transform().split("scale(")[1].rstrip(")"))

    svg = ladder_page.driver.find_element(By.ID, "canvas")
    before = scale()
    ladder_page.driver.find_element(By.ID, "zoom-in").click()
    assert scale() == pytest.approx(before * 1.25)
    ActionChains(ladder_page.driver).scroll_from_origin(ScrollOrigin.from_element(svg, 0, 250), 0, 300).perform()
    assert scale() < before * 1.25
    start = transform()
    ActionChains(ladder_page.driver).move_to_element_with_offset(svg, -480, 300).click_and_hold() \
        .move_by_offset(120, -60).release().perform()
    moved = transform()
    assert moved != start
    (x0, y0), (x1, y1) = (map(float, t.split("translate(")[1].split(")")[0].split(",")) for t in (start, moved))
    assert (x1 - x0, y1 - y0) == (pytest.approx(120, abs=2), pytest.approx(-60, abs=2))
    ladder_page.driver.find_element(By.ID, "fit").click()
    assert ladder_page.console() == []


def test_path_page_marks_the_path(browser, tmp_path, model):
    path = tmp_path / "path.html"
    G = export.path_view(model, "Radiology Assistant", "Interventional Radiology Technologist")
    export.write_html(G, path, model)
    page = Page(browser, path)
    on_path = page.js("return [...document.querySelectorAll('.node.on-path')].map(g => g.dataset.id).sort()")
    assert on_path == sorted(["role:radiology-assistant", "role:radiologic-technologist",
                              "role:interventional-radiology-technologist"])
    assert page.js("return document.querySelectorAll('.edge.on-path').length") == 2
    assert page.console() == [] and page.requests == [page.url]


def test_whole_graph_page_works(browser, tmp_path, kg):
    path = tmp_path / "whole.html"
    from click.testing import CliRunner

    from radgraph.cli import cli

    result = CliRunner().invoke(cli, ["export", "--format", "html", "-o", str(path)])
    assert result.exit_code == 0, result.output
    page = Page(browser, path)
    assert page.js("return document.querySelectorAll('.node').length") == export.graph_view(kg).number_of_nodes()
    page.node("cred:arrt-radiography").click()
    assert "Requires" in page.panel_text()
    assert page.console() == [] and page.requests == [page.url]


# ------------------------------------------------------------------ hostile labels


@pytest.fixture(scope="module")
def hostile_page_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-html")
    (folder / "hostile.ttl").write_text(HOSTILE_TTL, encoding="utf-8")
    kg = radgraph.load([folder / "hostile.ttl"])
    path = folder / "hostile.html"
    export.write_html(export.ladder_view(kg.model), path, kg.model)
    return path


def test_hostile_label_is_in_the_file_only_escaped(hostile_page_file):
    text = hostile_page_file.read_text(encoding="utf-8")
    assert text.lower().count("</script") == 2  # the closing tags of our two scripts, nothing from the data
    assert "<img" not in text and "window.__pwned" in text  # present, but only inside escaped JSON
    data = text.split('<script type="application/json" id="radgraph-data">')[1].split("</script>")[0]
    assert "<" not in data and ">" not in data and "&" not in data
    node = next(n for n in json.loads(data)["nodes"] if n["label"] == HOSTILE)
    assert node["id"] == HOSTILE_ID


def test_hostile_label_shows_as_text_and_never_runs(browser, hostile_page_file):
    page = Page(browser, hostile_page_file)
    node = page.node(HOSTILE_ID)
    lines = [t.get_attribute("textContent") for t in node.find_elements("css selector", "text.name")]
    assert " ".join(lines) == HOSTILE
    node.click()
    time.sleep(0.3)  # give an injected onerror handler every chance to fire
    assert page.js("return document.querySelector('#details h2').textContent") == HOSTILE
    assert "</script><script>window.__pwned=3</script>" in page.panel_text()  # the quote, as text
    assert "<img src=x onerror=window.__pwned=4>" in page.panel_text()  # the source's label, as text
    assert page.js("return typeof window.__pwned") == "undefined"
    assert page.js("return document.querySelectorAll('img').length") == 0
    assert page.js("return document.scripts.length") == 2
    assert page.console() == []
    assert page.requests == [page.url]  # an <img src=x> that ran would have asked for x


# ------------------------------------------------------------------ the page's own files


def test_page_script_is_valid_javascript_for_node():
    import subprocess
    from importlib.resources import files

    node = shutil.which("node")
    if node is None:
        _missing("node is missing: apt-get install nodejs (.ci/run does)")
    script = files("radgraph.export") / "page.js"
    done = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_page_inlines_its_files_whole():
    from importlib.resources import files

    kg = radgraph.load()
    page = export.generate_html(export.ladder_view(kg.model), kg.model)
    folder = files("radgraph.export")
    for name in ("page.css", "page.js"):
        assert (folder / name).read_text(encoding="utf-8") in page, name
    assert "%" + "DATA%" not in page and "%" + "SCRIPT%" not in page
    assert "<script src" not in page and "<link rel=\"stylesheet\"" not in page


def test_a_title_naming_a_slot_of_the_page_stays_text():
    import networkx as nx

    page = export.generate_html(nx.DiGraph([("a", "b")], title="role %DATA% and %SCRIPT%"))
    assert "<title>role %DATA% and %SCRIPT%</title>" in page
    assert page.count('<script type="application/json" id="radgraph-data">') == 1


# ------------------------------------------------------------------ at a phone's size and a desktop's, as a person sees it

_tool_spec = importlib.util.spec_from_file_location("screenshot_page", ROOT / "tools" / "screenshot_page.py")
screenshot_tool = importlib.util.module_from_spec(_tool_spec)  # `make docs` runs it; not part of the library
_tool_spec.loader.exec_module(screenshot_tool)


@pytest.fixture(params=list(screenshot_tool.SIZES))
def sized_page(request, browser, ladder_page_file, tmp_path_factory):
    """The ladder page at a phone's size (390x844, touch) or a desktop's (1400x900); screenshots kept for a look."""
    screenshot_tool.set_size(browser, request.param)
    try:
        page = Page(browser, ladder_page_file)
        page.size = request.param
        yield page
        shots = tmp_path_factory.getbasetemp() / "screenshots"
        shots.mkdir(exist_ok=True)
        browser.save_screenshot(str(shots / f"ladder-{request.param}.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})


_BOXES = """
    return [...document.querySelectorAll('.node')].map(g => {
        const r = g.querySelector('rect').getBoundingClientRect();
        return [g.dataset.id, r.left, r.top, r.right, r.bottom];
    });"""


def test_viewport_is_the_size_asked(sized_page):
    width, height, _ = screenshot_tool.SIZES[sized_page.size]
    assert sized_page.js("return [innerWidth, innerHeight]") == [width, height]


def test_no_two_role_boxes_overlap(sized_page):
    boxes = sized_page.js(_BOXES)
    assert len(boxes) >= 12
    for i, (a, *ra) in enumerate(boxes):
        for b, *rb in boxes[i + 1:]:
            apart = ra[2] <= rb[0] or rb[2] <= ra[0] or ra[3] <= rb[1] or rb[3] <= ra[1]
            assert apart, (a, b)


def test_every_role_box_is_inside_the_drawing_at_fit(sized_page):
    for when in ("as opened", "after Fit"):
        if when == "after Fit":
            sized_page.js("document.getElementById('zoom-in').click(); document.getElementById('fit').click()")
        canvas = sized_page.js("const r = document.getElementById('canvas').getBoundingClientRect();"
                               "return [r.left, r.top, r.right, r.bottom]")
        for node, left, top, right, bottom in sized_page.js(_BOXES):
            assert canvas[0] <= left and canvas[1] <= top and right <= canvas[2] and bottom <= canvas[3], (when, node)


def test_role_names_are_at_least_11_px_as_opened(sized_page):
    sizes = sized_page.js("""
        return [...document.querySelectorAll('.node text.name')].map(t =>
            t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize));""")
    assert sizes and min(sizes) >= 11, min(sizes)


def test_every_control_is_on_screen(sized_page):
    for control in ("search", "zoom-in", "zoom-out", "fit"):
        hit = sized_page.js("""
            const e = document.getElementById(arguments[0]), r = e.getBoundingClientRect();
            const inside = r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
            const top = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
            return inside && r.width >= 24 && r.height >= 24 && (top === e || e.contains(top));""", control)
        assert hit, control


def test_no_edge_passes_through_a_box_it_does_not_join(sized_page):
    crossings = sized_page.js("""
        const boxes = [...document.querySelectorAll('.node')].map(g => [g.dataset.id, g.querySelector('rect').getBoundingClientRect()]);
        const out = [];
        document.querySelectorAll('.edge').forEach(e => {
            const path = e.querySelector('path.line'), m = path.getScreenCTM(), len = path.getTotalLength();
            for (let i = 0; i <= 200; i++) {
                const p = path.getPointAtLength(len * i / 200);
                const x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
                for (const [id, r] of boxes) {
                    if (id === e.dataset.source || id === e.dataset.target) continue;
                    if (x > r.left + 1 && x < r.right - 1 && y > r.top + 1 && y < r.bottom - 1) {
                        out.push([e.dataset.source, e.dataset.target, id]);
                        return;
                    }
                }
            }
        });
        return out;""")
    assert sized_page.js("return document.querySelectorAll('.edge').length") > 5
    assert crossings == []


@pytest.mark.parametrize(("text", "found"), [
    ("RT", "Radiologic Technologist"),  # another name, as `radgraph show rt` finds it
    ("Radiologic Technologist", "Radiologic Technologist"),  # exact, before Diagnostic Radiologic Technologist
    ("rra", "Registered Radiologist Assistant"),
    ("mammography technologist", "Mammographer"),
])
def test_search_finds_every_name_exact_first(sized_page, text, found):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = sized_page.driver.find_element(By.ID, "search")
    box.clear()
    box.send_keys(text, Keys.ENTER)
    assert sized_page.js("return document.querySelector('#details h2').textContent") == found
    assert sized_page.js("return document.querySelectorAll('.node.match').length") >= 1


def test_details_open_as_a_bottom_sheet_on_a_phone_beside_on_a_desktop(sized_page):
    sized_page.js("document.querySelector('.node[data-id=\"role:radiologic-technologist\"]')"
                  ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    time.sleep(0.4)  # the sheet slides up
    left, top, right, bottom = sized_page.js("const r = document.getElementById('details').getBoundingClientRect();"
                                             "return [r.left, r.top, r.right, r.bottom]")
    width, height, phone = screenshot_tool.SIZES[sized_page.size]
    assert "Radiologic Technologist" in sized_page.panel_text()
    if phone:
        assert (left, right, bottom) == (0, width, height) and height * 0.3 < top < height
        sized_page.js("document.getElementById('close').click()")
        time.sleep(0.4)
        assert sized_page.js("return document.getElementById('details').getBoundingClientRect().top") >= height - 1
    else:
        assert right == width and left > width / 2 and top < 100


@pytest.mark.parametrize("sized_page", [k for k, v in screenshot_tool.SIZES.items() if v[2]], indirect=True)
def test_two_fingers_pinch_to_zoom_and_one_pans(sized_page):  # touch is a phone's: the phone sizes only

    def scale():
        t = sized_page.js("return document.getElementById('viewport').getAttribute('transform')")
        return float(t.split("scale(")[1].rstrip(")"))

    def touch(kind, points):
        sized_page.driver.execute_cdp_cmd("Input.dispatchTouchEvent", {
            "type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})

    before = scale()
    touch("touchStart", [(150, 500), (240, 500)])
    for step in range(1, 6):
        touch("touchMove", [(150 - 12 * step, 500), (240 + 12 * step, 500)])
    touch("touchEnd", [])
    assert scale() == pytest.approx(before * 210 / 90, rel=0.05)
    start = sized_page.js("return document.getElementById('viewport').getAttribute('transform')")
    touch("touchStart", [(200, 600)])
    touch("touchMove", [(230, 560)])
    touch("touchEnd", [])
    assert sized_page.js("return document.getElementById('viewport').getAttribute('transform')") != start
    assert sized_page.console() == []
