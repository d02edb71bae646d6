"""The exported HTML page in a real headless Chromium (Debian's chromium + chromium-driver, driven by selenium).

The page is opened from file:// and must: load with no console error and no network request at
all, draw the roles, pan and zoom, find nodes, show a role's requirement tree with its quotes on
click, and show a hostile label as text without running it. In CI (CI=true) none of these may
skip: a missing browser is a failure (conftest.NO_SKIP_IN_CI).
"""

from __future__ import annotations

import json
import shutil
import time

import pytest

import radgraph
from radgraph import export
from radgraph.namespaces import shorten

from .conftest import _in_ci
from .test_export import HOSTILE, HOSTILE_ID, HOSTILE_TTL

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
            return [g.dataset.id, g.querySelector('text').textContent, box.width, box.height];
        });""")
    labels = {shorten(r.id): r.label for r in model.roles.values()}
    assert sorted(d[0] for d in drawn) == sorted(labels)
    for node_id, label, width, height in drawn:
        assert label == labels[node_id]
        assert width > 20 and height > 5, node_id
    assert ladder_page.js("return document.querySelectorAll('.node.kind-start').length") == 1
    edges = ladder_page.js("return document.querySelectorAll('.edge').length")
    assert edges == export.ladder_view(model).number_of_edges()


def test_layers_run_left_to_right(ladder_page, model):
    """The start stands left of every role; each drawn rung goes left to right unless the layering set it aside."""
    xs = ladder_page.js("""
        const out = {};
        document.querySelectorAll('.node').forEach(g => { out[g.dataset.id] = g.getBoundingClientRect().left; });
        return out;""")
    assert all(xs["none"] < x for n, x in xs.items() if n != "none")
    placed = export.layers(export.ladder_view(model))
    for a in xs:
        for b in xs:
            if placed[a][0] < placed[b][0]:
                assert xs[a] < xs[b], (a, b)


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
    assert ladder_page.js("return document.querySelectorAll('.node.dim').length") == 12
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
    ActionChains(ladder_page.driver).move_to_element_with_offset(svg, 0, 300).click_and_hold() \
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
    assert node.find_element("css selector", "text").get_attribute("textContent") == HOSTILE
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
