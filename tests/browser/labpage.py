"""Page helpers shared by the JupyterLab and Voila tests (Playwright, sync API)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parents[2]
# CCSIM_LABS_DIR: test a draft folder of labs instead of notebooks/ (the labs are still copied first).
NOTEBOOKS = Path(os.environ.get("CCSIM_LABS_DIR") or REPO / "notebooks").resolve()
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


def lab_notebooks() -> list[str]:
    """File names of the labs in notebooks/ (collected when the tests are collected)."""
    return sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / re.sub(r"[^\w.-]", "_", name)


# What a learner must never see: a widget that failed to render, stderr (warnings, tracebacks) in an
# output area or inside an Output widget, a kernel error, a traceback, Voila's "error when executing".
STDERR_SELECTORS = [
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
    '.widget-output [data-mime-type="application/vnd.jupyter.stderr"]',
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]',
]
BAD_TEXT = [
    "Error displaying widget",  # ipywidgets 7 wording, still used for missing models
    "Click to show javascript error",  # ipywidgets 8: a widget view that failed to render
    "Traceback",
    "There was an error when executing cell",  # Voila
]
ERROR_WIDGET = ".jupyter-widgets-error-widget"
# ipywidgets 8 error view: a click swaps the icon for the message and the JavaScript stack.
REVEAL_ERROR_WIDGETS_JS = """() => [...document.querySelectorAll('.jupyter-widgets-error-widget')].map(w => {
  if (w.classList.contains('icon-error') && w.parentElement) w.parentElement.click();
  return w.innerText.slice(0, 600);
})"""
AGENTS = ".ccsim-agents"
# PAIR_JS tags the first agents slider and the first service-level tile of the same panel.
AGENTS_HANDLE = '[data-ccsim-test="agents"] .noUi-handle'
AGENTS_READOUT = '[data-ccsim-test="agents"] .widget-readout'
SL_TILE = '[data-ccsim-test="sl-tile"]'
PAIR_JS = """() => {
  const slider = document.querySelector('.ccsim-agents');
  if (!slider) return 'no .ccsim-agents slider on the page';
  for (let box = slider.parentElement; box; box = box.parentElement) {
    const tiles = [...box.querySelectorAll('.ccsim-kpi-service-level')];
    if (tiles.length) {
      const tile = tiles[0];
      slider.setAttribute('data-ccsim-test', 'agents');
      tile.setAttribute('data-ccsim-test', 'sl-tile');
      return '';
    }
  }
  return 'no .ccsim-kpi-service-level tile shares a container with the agents slider';
}"""
CODE_PROMPTS_JS = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
    .map(e => e.textContent.trim())"""


def error_report(page: Page) -> list[str]:
    """Every error a learner could see on the page, as short strings (empty when there is none)."""
    found = []
    for sel in STDERR_SELECTORS:
        loc = page.locator(sel)
        for i in range(loc.count()):
            found.append(f"{sel}: {loc.nth(i).inner_text()[:500]!r}")
    for message in page.evaluate(REVEAL_ERROR_WIDGETS_JS):
        found.append(f"widget failed to render ({ERROR_WIDGET}): {message!r}")
    details = page.locator(".ccsim-error-details")  # shown only after an unexpected exception in ccsim
    for i in range(details.count()):
        if details.nth(i).is_visible():
            box = details.nth(i).locator("xpath=..")  # the message area: the sentence and the details
            found.append(f"ccsim message area reports an unexpected error: {box.inner_text()[:500]!r}")
    # Outputs only: the labs' own prose may mention these words.
    outputs = "\n".join(page.locator(".jp-OutputArea").all_inner_texts())
    for text in BAD_TEXT:
        if text in outputs:
            i = outputs.index(text)
            found.append(f"text {text!r} in an output: ...{outputs[max(0, i - 200) : i + 300]!r}")
    return found


def assert_no_errors(page: Page, where: str) -> None:
    errors = error_report(page)
    assert not errors, f"{where}: a learner would see errors:\n" + "\n".join(errors)


_EXECUTION_STATE = re.compile(rb'"execution_state":\s*"(\w+)"')


def track_kernel_state(page: Page) -> None:
    """Record the kernel's execution_state from the page's own websocket traffic (Lab and Voila alike).

    Call before each navigation; calling again on the same page starts a fresh record."""
    if hasattr(page, "ccsim_kernel_states"):
        page.ccsim_kernel_states.clear()
        return
    states: list[str] = []
    page.ccsim_kernel_states = states

    def on_frame(payload: str | bytes) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        found = _EXECUTION_STATE.findall(data)
        if found:
            states.append(found[-1].decode())

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))


def wait_kernel_settled(page: Page, timeout_ms: int = 60_000) -> None:
    """Wait until the last status the kernel sent is idle (iopub order: busy, the updates, then idle)."""
    states = getattr(page, "ccsim_kernel_states", None)
    assert states is not None, "call track_kernel_state(page) before opening the page"
    waited = 0
    while not states or states[-1] != "idle":
        if waited >= timeout_ms:
            raise AssertionError(f"the kernel did not become idle within {timeout_ms} ms (last states {states[-5:]})")
        page.wait_for_timeout(100)  # lets Playwright deliver websocket events
        waited += 100


def wait_outputs_rendered(page: Page, timeout_ms: int = 60_000) -> None:
    """Wait until every output area holds a rendered element (widget views render after their output arrives)."""
    unrendered = """() => [...document.querySelectorAll('.jp-OutputArea-output')]
        .filter(o => !o.firstElementChild || o.innerText.includes('Loading widget')).map(o => o.innerText.slice(0, 200))"""
    try:
        page.wait_for_function(f"() => ({unrendered})().length === 0", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise AssertionError(f"outputs still not rendered after {timeout_ms} ms: {page.evaluate(unrendered)}") from None


def text_of(page: Page, selector: str) -> str:
    return page.locator(selector).first.inner_text().strip()


def wait_text_change(page: Page, selector: str, old: str, timeout_ms: int = 30_000) -> str:
    """Wait until the first element matching `selector` no longer shows `old`; return the new text."""
    page.wait_for_function(
        "([sel, old]) => { const e = document.querySelector(sel); return e && e.innerText.trim() !== old; }",
        arg=[selector, old],
        timeout=timeout_ms,
    )
    return text_of(page, selector)


def press_on(page: Page, selector: str, key: str, times: int) -> None:
    """Focus a slider handle and press a key `times` times (fires a change even with continuous_update=False)."""
    handle = page.locator(selector).first
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)


def agents_value(page: Page) -> int:
    return int(text_of(page, AGENTS_READOUT))


def pair_agents_and_tile(page: Page, where: str) -> tuple[int, str]:
    """Tag the first agents slider and its panel's service-level tile; return (agents, tile text)."""
    problem = page.evaluate(PAIR_JS)
    assert not problem, f"{where}: {problem}"
    return agents_value(page), text_of(page, SL_TILE)


def move_agents_and_check_tile(page: Page, where: str) -> list[str]:
    """Agents +1, +1, -1 (one key press at a time, each waited for): the service-level tile must change
    at every step, show a percentage, and show the same number again for the same number of agents."""
    start_agents, start_tile = pair_agents_and_tile(page, where)
    tiles = [start_tile]
    for key, step in (("ArrowRight", 1), ("ArrowRight", 1), ("ArrowLeft", -1)):
        expected_agents = agents_value(page) + step
        press_on(page, AGENTS_HANDLE, key, 1)
        try:
            wait_text_change(page, SL_TILE, tiles[-1])
            wait_kernel_settled(page)  # the callback has finished: the tile and figures are final
            tiles.append(text_of(page, SL_TILE))
        except PlaywrightTimeout:
            raise AssertionError(
                f"{where}: the service-level tile stayed {tiles[-1]!r} after {key} on agents "
                f"(agents now {agents_value(page)}){chr(10)}{chr(10).join(error_report(page))}"
            ) from None
        assert agents_value(page) == expected_agents, f"{where}: {key} moved agents to {agents_value(page)}"
        assert re.search(r"\d+(\.\d+)?\s*%", tiles[-1]), (
            f"{where}: service-level tile shows no percentage: {tiles[-1]!r}"
        )
        assert_no_errors(page, f"{where} after {key} on agents")
    assert agents_value(page) == start_agents + 1
    assert tiles[3] == tiles[1], f"{where}: {start_agents + 1} agents showed {tiles[1]!r}, then {tiles[3]!r}"
    return tiles


# ---------------------------------------------------------------- JupyterLab


def open_in_lab(page: Page, base_url: str, token: str, notebook: str) -> None:
    track_kernel_state(page)
    page.goto(f"{base_url}/lab/tree/{notebook}?token={token}&reset", wait_until="domcontentloaded")
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=60_000)


def wait_kernel_idle(page: Page, timeout_ms: int = 60_000) -> None:
    """The toolbar turns idle before the kernel exists; the status bar's '<kernel> | Idle' does not."""
    page.locator("#jp-main-statusbar").get_by_text(re.compile(r"\S.*\|\s*Idle")).first.wait_for(timeout=timeout_ms)


def _click_menu(page: Page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{re.escape(menu)}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).click()


def run_all(page: Page, attempts: int = 3) -> None:
    """Run → Run All Cells, retried until the first prompt shows [1]: or [*]: (the run really started)."""
    for _ in range(attempts):
        wait_kernel_idle(page)
        _click_menu(page, "Run", "Run All Cells")
        try:
            page.wait_for_function(
                f"() => {{ const p = ({CODE_PROMPTS_JS})(); return p.length > 0 && /^\\[(\\d+|\\*)\\]:$/.test(p[0]); }}",
                timeout=15_000,
            )
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"Run All did not start after {attempts} attempts")


def restart_and_run_all(page: Page) -> None:
    """Kernel → Restart Kernel and Run All Cells… → Restart: what lab 00 teaches as "start over"."""
    wait_kernel_idle(page)
    _click_menu(page, "Kernel", "Restart Kernel and Run All Cells…")
    page.get_by_role("button", name="Confirm Kernel Restart").click()


def wait_run_all_done(page: Page, timeout_ms: int = 180_000) -> list[str]:
    """Wait until every code cell's prompt is numbered (none is [*] or [ ]); return the prompts."""
    try:
        page.wait_for_function(
            f"() => {{ const p = ({CODE_PROMPTS_JS})(); return p.length > 0 && p.every(t => /^\\[\\d+\\]:$/.test(t)); }}",
            timeout=timeout_ms,
        )
    except PlaywrightTimeout:
        raise AssertionError(f"Run All did not finish: prompts are {page.evaluate(CODE_PROMPTS_JS)}") from None
    wait_kernel_idle(page)
    wait_outputs_rendered(page)
    return page.evaluate(CODE_PROMPTS_JS)


def lab_screenshot(page: Page, path: Path) -> None:
    """Whole notebook in one image: grow the viewport to the notebook's height (Lab captures the viewport only)."""
    page.keyboard.press("Escape")
    page.mouse.move(640, 5)  # off the cells: no hover toolbars or heading anchors in the picture
    page.keyboard.press("Control+b")  # hide the file browser: more width for the lab
    height = page.evaluate(
        "() => { const v = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-viewport');"
        " return v ? v.getBoundingClientRect().height : 900; }"
    )
    page.set_viewport_size({"width": 1280, "height": int(min(max(height + 250, 900), 16000))})
    page.wait_for_timeout(500)  # let Lumino lay out at the new size; only affects the picture
    page.evaluate(
        "() => { const o = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer'); if (o) o.scrollTop = 0; }"
    )
    page.wait_for_timeout(200)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.keyboard.press("Control+b")


# ---------------------------------------------------------------- Voila


def open_in_voila(page: Page, base_url: str, notebook: str, timeout_ms: int = 180_000) -> None:
    """Load a lab in Voila and wait until every cell ran and every output (widgets too) was rendered."""
    track_kernel_state(page)
    page.goto(f"{base_url}/voila/render/{notebook}", wait_until="commit")
    # Voila streams the page while the kernel runs the cells, then removes #loading and its
    # front end turns each output <script> into a rendered output.
    page.wait_for_function(
        """() => document.getElementById('rendered_cells') && !document.getElementById('loading')
            && document.querySelectorAll('script[type="application/vnd.voila.cell-output+json"]').length === 0""",
        timeout=timeout_ms,
    )
    wait_outputs_rendered(page)


def voila_screenshot(page: Page, path: Path) -> None:
    """Whole page in one image: Voila scrolls inside #rendered_cells, so grow the viewport to its height."""
    height = page.evaluate("() => document.getElementById('rendered_cells').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": int(min(max(height + 40, 900), 16000))})
    page.wait_for_timeout(500)  # let the page lay out at the new size; only affects the picture
    page.evaluate("() => { document.getElementById('rendered_cells').scrollTop = 0; }")
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1280, "height": 900})


def first_number(text: str) -> int:
    """The first whole number in ``text`` (a tile's value, e.g. '90 agents')."""
    found = re.search(r"\d+", text)
    assert found, f"no number in {text!r}"
    return int(found.group())


def interact_in_lab(page: Page, server, notebook: str, interact, screenshot: str) -> None:
    """Open ``notebook`` in JupyterLab, Run All, check no error shows, then ``interact(page, where)`` and take a screenshot."""
    open_in_lab(page, server.base_url, server.token, notebook)
    run_all(page)
    wait_run_all_done(page)
    assert_no_errors(page, f"{notebook} after Run All")
    interact(page, f"{notebook} in JupyterLab")
    lab_screenshot(page, screenshot_path(screenshot))


def interact_in_voila(page: Page, server, notebook: str, interact, screenshot: str) -> None:
    """Open ``notebook`` in Voila, check no error shows, then ``interact(page, where)`` and take a screenshot."""
    open_in_voila(page, server.base_url, notebook)
    assert_no_errors(page, f"{notebook} in Voila")
    interact(page, f"{notebook} in Voila")
    voila_screenshot(page, screenshot_path(screenshot))
