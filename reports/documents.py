"""Rendering: the same data as an HTML print view and, through WeasyPrint, a tagged PDF."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

PRINT_CSS = "css/print.css"


def render_html(template, context, *, for_pdf=False):
    return render_to_string(template, {**context, "for_pdf": for_pdf})


def render_pdf(template, context):
    """A PDF/UA-tagged A4 PDF of a print template, the SVG charts drawn inside it."""
    # Imported here: WeasyPrint takes 0.7 s to import, which only PDF requests should pay.
    from weasyprint import CSS, HTML

    html = render_html(template, context, for_pdf=True)
    stylesheet = CSS(filename=finders.find(PRINT_CSS))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[stylesheet], pdf_variant="pdf/ua-1"
    )
