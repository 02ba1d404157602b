"""Measures in context as the reader's browser draws them (issue 16): the progress bar's length matches the
number written beside it and fills from the reading direction's start; planned and actual dates stand side
by side; nothing scrolls sideways on a phone. German and Arabic, at 390 and 1280 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers import FIXTURES, build, make_project

_MEASURE = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, width: r.width}; };
  const meters = [...document.querySelectorAll('.kt-meter')].filter((m) => m.querySelector('svg')).map((m) => ({
    text: m.querySelector('.kt-meter__text').innerText.trim(),
    track: box(m.querySelector('.kt-meter__track')), fill: box(m.querySelector('.kt-meter__fill'))}));
  const heads = [...document.querySelectorAll('table.kt-schedule thead th')].map((th) => ({text: th.innerText.trim(), ...box(th)}));
  return {meters, heads, scroll: document.documentElement.scrollWidth, width: window.innerWidth};
}"""


@pytest.fixture(scope="module")
def context_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    extra = {"data/zz-kontext.yml": (FIXTURES / "context" / "kontext.yml").read_text(encoding="utf-8"),
             "data/translations/ar.yml": (FIXTURES / "context" / "ar.yml").read_text(encoding="utf-8")}
    return build(make_project(tmp_path_factory.mktemp("context"), extra_files=extra))


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("variant", ["", "ar/"])
def test_progress_bars_and_planned_against_actual_as_drawn(browser: Any, context_site: Path, variant: str,
                                                            width: int) -> None:
    from browsing import serve

    tab = browser.new_page(viewport={"width": width, "height": 900})
    with serve(context_site) as base:
        tab.goto(f"{base}/{variant}massnahmen/lesefest/")
        seen = tab.evaluate(_MEASURE)
    tab.close()
    assert seen["scroll"] <= seen["width"]
    meters = seen["meters"]
    # the measure itself (65 %, rolled up) and its parts with 80 % and 20 %
    assert [meter["text"].replace("\u00a0", " ") for meter in meters][:3] in (
        ["65 %", "80 %", "20 %"], ["65٪", "80٪", "20٪"], ["65 ٪", "80 ٪", "20 ٪"], ["65%", "80%", "20%"])
    for meter, share in zip(meters, (0.65, 0.80, 0.20)):
        track, fill = meter["track"], meter["fill"]
        assert abs(fill["width"] / track["width"] - share) < 0.02
        if variant == "ar/":  # right to left: the bar grows from the right edge
            assert abs(fill["right"] - track["right"]) < 1
        else:
            assert abs(fill["left"] - track["left"]) < 1
    assert meters[1]["fill"]["width"] == pytest.approx(4 * meters[2]["fill"]["width"], rel=0.03)
    planned, actual = seen["heads"]
    assert abs(planned["top"] - actual["top"]) < 1  # side by side, on one line
    assert (planned["left"] < actual["left"]) == (variant == "")
    assert (planned["text"], actual["text"]) == (("Geplant", "Tatsächlich") if variant == "" else ("المخطَّط", "الفعلي"))
