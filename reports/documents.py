"""Rendering: the same data as an HTML print view and, through WeasyPrint, a tagged PDF."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

PRINT_CSS = "css/print.css"
# A header cell's HTML scope as the PDF's table attribute (PDF 1.7, 14.8.5.7).
SCOPES = {"row": "/Row", "rowgroup": "/Row", "col": "/Column", "colgroup": "/Column"}


def render_html(template, context, *, for_pdf=False):
    return render_to_string(template, {**context, "for_pdf": for_pdf})


def render_pdf(template, context):
    """A PDF/UA-tagged A4 PDF of a print template, the SVG charts drawn inside it."""
    # Imported here: WeasyPrint takes 0.7 s to import, which only PDF requests should pay.
    from weasyprint import CSS, HTML

    html = render_html(template, context, for_pdf=True)
    stylesheet = CSS(filename=finders.find(PRINT_CSS))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[stylesheet], pdf_variant="pdf/ua-1", finisher=_complete_tags
    )


def _complete_tags(document, pdf):
    """Add what WeasyPrint's tags leave out: each header cell's scope (its TH elements carry
    none). A chart's words are its image's alt text (svg_image)."""
    for page in document.pages:
        for box in page._page_box.descendants(placeholders=True):
            element, mark = getattr(box, "element", None), getattr(box, "mark", None)
            if element is not None and mark is not None and box.element_tag == "th":
                scope = element.get("scope", "col")
                mark["A"]["Scope"] = SCOPES.get(scope, "/Column")
