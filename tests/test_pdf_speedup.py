"""The fix of WeasyPrint's quadratic tagging step (klartext.pdf_speedup): same bytes, only where it belongs."""

from __future__ import annotations

import io

import pydyf
import pytest
import weasyprint
from pypdf import PdfReader

from klartext import pdf_speedup

PAGES = 6
SMALL_DOCUMENT = "<html lang='de'><head><title>Probe</title></head><body><h1>Probe</h1>" + "".join(
    f"<h2 id='s{i}'>Abschnitt {i}</h2><p>Text mit <a href='#s{(i + 1) % PAGES}'>Verweis</a>.</p>"
    "<ul><li>eins</li><li>zwei</li></ul><table><tr><th>Kopf</th><td>Zelle</td></tr></table>"
    "<dl><dt>Begriff</dt><dd>Erklärung</dd></dl><div style='break-after: page'></div>"
    for i in range(PAGES)) + "</body></html>"


@pytest.fixture(scope="module")
def document():
    return weasyprint.HTML(string=SMALL_DOCUMENT).render()


def test_fixed_write_gives_the_same_bytes_as_weasyprint_alone(document) -> None:
    assert len(document.pages) == PAGES
    plain = document.write_pdf(pdf_variant="pdf/ua-1")
    with pdf_speedup.applied() as in_effect:
        fixed = document.write_pdf(pdf_variant="pdf/ua-1")
    assert in_effect is True  # these tests run with the pinned versions the fix is written for
    catalog = PdfReader(io.BytesIO(fixed)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "de"
    assert fixed == plain


def test_page_references_are_built_once_per_page_count_during_the_write_only() -> None:
    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert pdf.page_references is not pdf.page_references  # pydyf builds the tuple on every call
    with pdf_speedup.applied():
        first = pdf.page_references
        assert pdf.page_references is first  # kept, not rebuilt: no quadratic cost
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert pdf.page_references == (b"3 0 R", b"4 0 R", b"5 0 R", b"6 0 R")  # a new page counts
    assert pdf.page_references is not pdf.page_references  # the original property is back


def test_other_versions_are_left_alone(monkeypatch) -> None:
    monkeypatch.setitem(pdf_speedup.VERSIONS, "pydyf", "0.14.0")
    original = pydyf.PDF.__dict__["page_references"]
    with pdf_speedup.applied() as in_effect:
        assert in_effect is False
        assert pydyf.PDF.__dict__["page_references"] is original
