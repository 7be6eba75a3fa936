"""Word (.docx) documents: the committee report, the annual action plan and the strategy.

Pure Python on top of python-docx: this module does not import Django, so it can be
used and tested on its own. Callers (views) turn model instances into the plain dicts
described on :func:`report_docx`, :func:`plan_docx` and :func:`strategy_docx` and send
back the bytes with content type
``application/vnd.openxmlformats-officedocument.wordprocessingml.document``.

Council committee systems take Word documents, so the documents use Word's own
structure rather than look-alike formatting: headings are the built-in "Title",
"Heading 1", "Heading 2" and "Heading 3" styles (so they appear in the navigation pane
and are announced by screen readers), bullets use "List Bullet", and every data table
marks its first row as a header row repeated at the top of each page (``w:tblHeader``).
Everything is set in Arial.

Text is always written as text: python-docx escapes it, so something like
``<b>x</b>`` appears literally and is never interpreted as markup. Characters that XML
cannot hold at all (most ASCII control characters) are dropped. Multi-line text is
split into one paragraph per non-blank line; a line starting with ``"- "`` (or
``"• "``) becomes a bullet.

RAG ratings are always written as words; the light cell shading behind them is an
extra, never the only signal.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from figures.charts import chart_arguments, line_chart_png

__all__ = ["report_docx", "plan_docx", "strategy_docx"]

FONT = "Arial"
BODY_SIZE = Pt(11)
TABLE_SIZE = Pt(10)
WIDE_TABLE_SIZE = Pt(9)
SMALL_SIZE = Pt(9)
BLACK = RGBColor(0, 0, 0)
GREY = RGBColor(0x40, 0x40, 0x40)
HEADER_FILL = "D9D9D9"
RAG_FILLS = {"red": "F4B6B6", "amber": "FFE0A3", "green": "B7E1B0"}

A4_SHORT = Cm(21.0)
A4_LONG = Cm(29.7)
MARGIN = Cm(2.0)
PORTRAIT_TEXT_WIDTH = 17.0  # cm between the margins
LANDSCAPE_TEXT_WIDTH = 25.7

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# The order in which action statuses are counted; any other status follows these.
STATUS_ORDER = ("Complete", "On track", "At risk", "Off track", "Not started", "Withdrawn")

BULLET_PREFIXES = ("- ", "• ")

# Characters XML 1.0 cannot contain (tab, newline and carriage return are allowed).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Every document's data holds the council's words for the strategy's parts, as
# "terms": {"outcome", "outcomes", "priority", "priorities", "service", ...}
# (lacstrategy.models.Terms.as_dict).

ILLUSTRATIVE_NOTE = "Figures marked * are illustrative sample data."
EMPTY_SECTION = "No text has been provided for this section."


# --------------------------------------------------------------------------- text


def _text(value) -> str:
    """Any value as text safe to put in a document: None is empty, newlines are "\\n"."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", text)


def _lines(value) -> list[str]:
    """The non-blank lines of a text, trailing spaces removed."""
    return [line.rstrip() for line in _text(value).split("\n") if line.strip()]


def _bullet(line: str) -> str | None:
    """The text of a bullet line ("- text"), or None if the line is not a bullet."""
    stripped = line.lstrip()
    for prefix in BULLET_PREFIXES:
        if stripped.startswith(prefix):
            return stripped[len(prefix) :].strip()
    return None


def _to_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).strip()
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def long_date(value) -> str:
    """An ISO date or date-time (or a date object) written like "12 September 2016".

    The date is the one written in the value, in its own time zone offset. Empty values
    give ""; text that is not an ISO date is returned unchanged.
    """
    day = _to_date(value)
    if day is None:
        return _text(value).strip()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _or(value, fallback: str) -> str:
    text = _text(value).strip()
    return text if text else fallback


# --------------------------------------------------------------------------- styles


def _force_font(rpr_parent) -> None:
    """Set Arial on every script of an rPr-bearing element, dropping theme fonts.

    A theme font (``w:asciiTheme`` etc.) takes precedence over a named one, so the
    built-in heading styles would stay in the theme's font without this.
    """
    rpr = rpr_parent.get_or_add_rPr() if hasattr(rpr_parent, "get_or_add_rPr") else rpr_parent
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _set_colour(style, colour: RGBColor) -> None:
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:color")):
        rpr.remove(old)
    style.font.color.rgb = colour


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _new_document(title: str, *, terms: dict, landscape: bool = False, author: str = ""):
    doc = Document()
    styles = doc.styles

    # Document defaults: Arial, British English.
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _force_font(rpr)
            lang = rpr.find(qn("w:lang"))
            if lang is not None:
                lang.set(qn("w:val"), "en-GB")

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    _force_font(normal.element)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15

    sizes = {"Title": Pt(20), "Heading 1": Pt(14), "Heading 2": Pt(12), "Heading 3": Pt(11)}
    for name, size in sizes.items():
        style = styles[name]
        _force_font(style.element)
        _set_colour(style, BLACK)
        style.font.size = size
        style.font.bold = True
    styles["Title"].paragraph_format.space_after = Pt(12)
    styles["Heading 1"].paragraph_format.space_before = Pt(18)
    styles["Heading 1"].paragraph_format.space_after = Pt(6)
    styles["Heading 2"].paragraph_format.space_before = Pt(12)
    styles["Heading 2"].paragraph_format.space_after = Pt(4)
    styles["Heading 3"].paragraph_format.space_before = Pt(10)
    styles["Heading 3"].paragraph_format.space_after = Pt(4)
    for name in ("List Bullet", "Header", "Footer", "Table Grid"):
        _force_font(styles[name].element)
    styles["List Bullet"].paragraph_format.space_after = Pt(3)

    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = A4_LONG, A4_SHORT
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = A4_SHORT, A4_LONG
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = Cm(1.0)
    section.footer_distance = Cm(1.0)

    header = section.header.paragraphs[0]
    header.text = ""
    run = header.add_run(title)
    run.font.size = SMALL_SIZE
    run.font.color.rgb = GREY

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in ("Page ", ("PAGE",), " of ", ("NUMPAGES",)):
        if isinstance(part, tuple):
            _add_field(footer, part[0])
        else:
            footer.add_run(part).font.size = SMALL_SIZE

    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = terms["service"]
    props.comments = ""
    props.language = "en-GB"
    return doc


def _add_field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word works out when it lays out the page."""

    def run_with(element):
        run = paragraph.add_run()
        run.font.size = SMALL_SIZE
        run._r.append(element)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} \\* MERGEFORMAT "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    placeholder = paragraph.add_run("1")
    placeholder.font.size = SMALL_SIZE
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _save(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- blocks


def _paragraph(container, text="", *, bold=False, italic=False, size=None, style=None):
    """One paragraph; newlines inside ``text`` become line breaks."""
    paragraph = container.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(_text(text))
        run.bold = bold or None
        run.italic = italic or None
        if size is not None:
            run.font.size = size
    return paragraph


def _labelled(container, label: str, value) -> None:
    """A paragraph "Label: value", the label in bold."""
    paragraph = container.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(_text(value))


def _narrative(container, value, *, empty: str | None = None, size=None) -> None:
    """Multi-line text as paragraphs, "- " lines as bullets.

    ``container`` is the document or a table cell. In a cell the cell's own (empty)
    first paragraph is used for the first line.
    """
    lines = _lines(value)
    if not lines and empty:
        lines = [empty]
    first = _first_free_paragraph(container)
    for line in lines:
        bullet = _bullet(line)
        if first is not None:
            paragraph, first = first, None
            if bullet is not None:
                paragraph.style = "List Bullet"
        else:
            paragraph = container.add_paragraph(style="List Bullet" if bullet is not None else None)
        run = paragraph.add_run(bullet if bullet is not None else line.strip())
        if size is not None:
            run.font.size = size


def _first_free_paragraph(container):
    """A table cell's untouched first paragraph, to write into instead of adding one."""
    if not hasattr(container, "vertical_alignment"):  # not a cell
        return None
    paragraphs = container.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].text and not paragraphs[0].runs:
        return paragraphs[0]
    return None


def _bullets(container, items: Iterable) -> None:
    for item in items:
        _paragraph(container, _text(item).strip(), style="List Bullet")


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _mark_header_row(row) -> None:
    """Repeat this row at the top of each page and keep it in one piece."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        if tr_pr.find(qn(tag)) is None:
            tr_pr.append(OxmlElement(tag))


def _set_widths(table, widths_cm: Sequence[float]) -> None:
    """Fixed column widths: the grid's and the table's (the cells carry their own)."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=False):
        col.set(qn("w:w"), str(_twips(width)))
    table_width = table._tbl.tblPr.find(qn("w:tblW"))
    if table_width is not None:
        table_width.set(qn("w:type"), "dxa")
        table_width.set(qn("w:w"), str(sum(_twips(w) for w in widths_cm)))


def _twips(width_cm: float) -> int:
    return int(Cm(width_cm).twips)


# Table rows are written as XML, exactly as python-docx's cell API writes them (header rows,
# bullets, sizes, shading): through that API each style name is looked up by scanning every
# style and each property element is found or added one at a time, about 6 ms an action row,
# 3 s for a 500-action plan. tests/test_word.py reads the tables back through python-docx.
_CELL_SPACING = f'<w:spacing w:after="{Pt(2).twips}" w:line="240" w:lineRule="auto"/>'


def _run_xml(text: str, run_properties: str) -> str:
    """A run as python-docx's add_run writes it: a tab is a w:tab element, and text with
    spaces at either end keeps them."""
    content = []
    for index, chunk in enumerate(text.split("\t")):
        if index:
            content.append("<w:tab/>")
        if chunk:
            space = ' xml:space="preserve"' if chunk.strip() != chunk else ""
            content.append(f"<w:t{space}>{escape(chunk)}</w:t>")
    return f"<w:r><w:rPr>{run_properties}</w:rPr>{''.join(content)}</w:r>"


def _cell_xml(value, *, width_twips: int, size, bullet_style: str, bold=False, fill=None) -> str:
    """A table cell of multi-line text, "- " lines as bullets, one paragraph a line."""
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    run_properties = ("<w:b/>" if bold else "") + f'<w:sz w:val="{int(size.pt * 2)}"/>'
    paragraphs = []
    for line in _lines(value):
        bullet = _bullet(line)
        style = f'<w:pStyle w:val="{bullet_style}"/>' if bullet is not None else ""
        run = _run_xml(bullet if bullet is not None else line.strip(), run_properties)
        paragraphs.append(f"<w:p><w:pPr>{style}{_CELL_SPACING}</w:pPr>{run}</w:p>")
    if not paragraphs:  # a cell holds at least one paragraph
        paragraphs.append(f"<w:p><w:pPr>{_CELL_SPACING}</w:pPr></w:p>")
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width_twips}"/>{shading}</w:tcPr>'
        f"{''.join(paragraphs)}</w:tc>"
    )


def _add_rows(table, rows: Sequence[str]) -> None:
    """Append rows of XML (w:tr) to a table, parsed at once."""
    parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")
    for row in list(parsed):
        table._tbl.append(row)


def _rag_fill(rag) -> str | None:
    return RAG_FILLS.get(_text(rag).strip().lower())


def _data_table(
    container,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    widths_cm: Sequence[float],
    *,
    size=TABLE_SIZE,
    rag_column: int | None = None,
):
    """A table whose first row is a header row repeated on every page."""
    rows = [list(values) for values in rows]
    widths_cm = _fit_widths(widths_cm, headers, rows, size)
    widths = [_twips(width) for width in widths_cm]
    bullet_style = container.part.styles["List Bullet"].style_id
    table = container.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = "".join(
        _cell_xml(
            label,
            width_twips=width,
            size=size,
            bullet_style=bullet_style,
            bold=True,
            fill=HEADER_FILL,
        )
        for label, width in zip(headers, widths, strict=True)
    )
    xml_rows = [f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{header}</w:tr>"]
    for values in rows:
        cells = "".join(
            _cell_xml(
                value,
                width_twips=width,
                size=size,
                bullet_style=bullet_style,
                fill=_rag_fill(value) if index == rag_column else None,
            )
            for index, (value, width) in enumerate(zip(values, widths, strict=True))
        )
        xml_rows.append(f"<w:tr>{cells}</w:tr>")
    _add_rows(table, xml_rows)
    _set_widths(table, widths_cm)
    # A little space after the table so the next paragraph does not touch it.
    _paragraph(container).paragraph_format.space_after = Pt(0)
    return table


# Arial's advance widths in ems, generously: enough to tell whether a word fits its column.
_NARROW, _WIDE = set("fijlrtI.,;:()'! "), set("mwMW%")
CELL_PADDING_CM = 0.4  # Word's default cell margins, 0.19 cm a side, and a little spare


def _word_cm(word: str, size, *, bold: bool) -> float:
    ems = sum(
        0.3 if c in _NARROW else 0.89 if c in _WIDE else 0.72 if c.isupper() else 0.6 for c in word
    )
    return ems * (1.1 if bold else 1.0) * size.pt * 2.54 / 72


def _fit_widths(widths_cm: Sequence[float], headers, rows, size) -> list[float]:
    """Widen any column too narrow for its longest word (Word would break it: "Outcom e"),
    taking the room from the widest columns, which wrap between words."""
    widths = list(widths_cm)
    needed = []
    for index in range(len(widths)):
        longest = max(
            (_word_cm(w, size, bold=True) for w in _text(headers[index]).split()), default=0
        )
        for values in rows:
            if index < len(values):
                words = _text(values[index]).split()
                longest = max([longest, *(_word_cm(w, size, bold=False) for w in words)])
        needed.append(round(longest + CELL_PADDING_CM, 2))
    for index, need in enumerate(needed):
        while widths[index] < need:
            donors = [i for i in range(len(widths)) if widths[i] - 0.1 >= needed[i]]
            if not donors:
                break
            donor = max(donors, key=lambda i: widths[i] - needed[i])
            step = min(need - widths[index], widths[donor] - needed[donor])
            widths[donor] -= step
            widths[index] += step
    return [round(width, 2) for width in widths]


def _label_table(container, rows: Sequence[tuple[str, list[str], bool]], widths_cm):
    """A two-column layout table: a bold label, then lines (bullets if asked)."""
    label_width, value_width = (_twips(width) for width in widths_cm)
    bullet_style = container.part.styles["List Bullet"].style_id
    table = container.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:  # no header row: this is a layout of labels and values
        look.set(qn("w:firstRow"), "0")
    xml_rows = []
    for label, lines, as_bullets in rows:
        prefix = "- " if as_bullets else ""
        text = "\n".join(f"{prefix}{line}" for line in lines)
        label_cell = _cell_xml(
            label,
            width_twips=label_width,
            size=TABLE_SIZE,
            bullet_style=bullet_style,
            bold=True,
            fill=HEADER_FILL,
        )
        value_cell = _cell_xml(
            text, width_twips=value_width, size=TABLE_SIZE, bullet_style=bullet_style
        )
        xml_rows.append(f"<w:tr>{label_cell}{value_cell}</w:tr>")
    _add_rows(table, xml_rows)
    _set_widths(table, widths_cm)
    _paragraph(container).paragraph_format.space_after = Pt(0)
    return table


# --------------------------------------------------------------------------- report


def _outcome_label(number) -> str:
    text = _text(number).strip()
    return text if text else "General"


def _figure(value, illustrative: bool, fallback: str) -> str:
    text = _text(value).strip()
    if not text:
        return fallback
    return f"{text}*" if illustrative else text


def _status_counts(counts: dict) -> tuple[list[str], list[str]]:
    counts = counts or {}
    names = [name for name in STATUS_ORDER if name in counts] or list(STATUS_ORDER)
    names += [name for name in counts if name not in names]
    values = []
    total = 0
    for name in names:
        try:
            number = int(counts.get(name) or 0)
        except (TypeError, ValueError):
            number = 0
        total += number
        values.append(str(number))
    return [*names, "Total"], [*values, str(total)]


def _report_entered_after(doc, later: dict) -> None:
    """A draft's warning: records describing the quarter entered after the moment it shows."""
    count = later["count"]
    records, were, them = ("record", "was", "it") if count == 1 else ("records", "were", "them")
    warning = _paragraph(
        doc,
        f"{count} {records} describing this quarter {were} entered or changed after that "
        f"moment. This draft leaves {them} out. To include {them}, choose the records as they "
        "stand now for what the report draws from.",
        bold=True,
    )
    _shade_paragraph(warning, "FFE0A3")
    rows = [
        (
            _text(row.get("record")),
            f"{_text(row.get('change'))} {long_date(row.get('when'))}",
            _or(row.get("by"), "Not recorded"),
        )
        for row in later.get("rows") or []
    ]
    _data_table(doc, ("Record", "Last change", "By"), rows, (9.0, 4.5, 3.5))
    if count > len(rows):
        _paragraph(doc, f"The first {len(rows)} of {count} are listed.")


def _report_late_updates(doc, late: list, terms: dict) -> None:
    rows = [
        (
            f"{_text(item.get('outcome'))}. {_text(item.get('statement'))}",
            _or(item.get("state"), "Not started"),
            long_date(item.get("due")),
        )
        for item in late
    ]
    _data_table(
        doc,
        (f"{_cap(terms['outcome'])} update late or missing", "Update", "Due"),
        rows,
        (10.0, 3.0, 4.0),
    )


def _report_exceptions(doc, exceptions: list, late, terms: dict) -> None:
    """Red and overdue actions, and (in reports made since they were counted) late updates."""
    if late is None:
        doc.add_heading("Exceptions: red and overdue actions", level=2)
    else:
        doc.add_heading("Exceptions: red and overdue actions, late updates", level=2)
    if late:
        _report_late_updates(doc, late, terms)
    if not exceptions:
        nothing = "There are no red or overdue actions"
        _paragraph(doc, nothing + (" and no late updates." if late == [] else "."))
        return
    rows = []
    for item in exceptions:
        status = _or(item.get("status"), "Not recorded")
        target = _text(item.get("target")).strip()
        if item.get("overdue"):
            status += f"\nOverdue: target {target}" if target else "\nOverdue"
        elif target:
            status += f"\nTarget: {target}"
        rows.append(
            (
                _outcome_label(item.get("outcome")),
                _text(item.get("action")),
                status,
                _or(item.get("rag"), "Not rated"),
                _or(item.get("owner_note"), "No commentary."),
            )
        )
    _data_table(
        doc,
        (_cap(terms["outcome"]), "Action", "Status", "RAG", "Owner's commentary"),
        rows,
        (1.8, 5.0, 2.8, 1.8, 5.6),
        rag_column=3,
    )


def _report_progress(doc, outcomes: list, terms: dict) -> None:
    doc.add_heading(f"Progress by {terms['outcome']}", level=2)
    if not outcomes:
        _paragraph(doc, f"There are no {terms['outcomes']} in this plan.")
        return
    for outcome in outcomes:
        number = _text(outcome.get("number")).strip()
        statement = _text(outcome.get("statement")).strip()
        name = _text(outcome.get("name")).strip() or (
            f"{_cap(terms['outcome'])} {number}" if number else ""
        )
        heading = f"{name}: {statement}" if name else statement
        doc.add_heading(heading, level=3)
        owners = [_text(owner).strip() for owner in outcome.get("owners") or []]
        _labelled(
            doc,
            f"{_cap(terms['outcome'])} owner{'s' if len(owners) > 1 else ''}",
            "; ".join(o for o in owners if o) or "Not assigned",
        )
        paragraph = doc.add_paragraph()
        paragraph.add_run("Overall RAG: ").bold = True
        paragraph.add_run(_or(outcome.get("overall_rag"), "Not rated"))
        paragraph.add_run("   Update: ").bold = True
        paragraph.add_run(_or(outcome.get("update_state"), "No update"))
        _narrative(doc, outcome.get("summary"), empty="No summary was provided.")
        headers, values = _status_counts(outcome.get("counts") or {})
        width = PORTRAIT_TEXT_WIDTH / len(headers)
        _data_table(doc, headers, [values], [width] * len(headers))


def _report_indicators(doc, indicators: list, terms: dict, chart_png) -> None:
    doc.add_heading(_cap(terms["priorities"]), level=2)
    if not indicators:
        _paragraph(doc, f"No {terms['priorities']} have been chosen for this plan.")
        return
    any_illustrative = any(item.get("illustrative") for item in indicators)
    if any_illustrative:
        _paragraph(doc, ILLUSTRATIVE_NOTE, italic=True)
    rows = []
    for item in indicators:
        sample = bool(item.get("illustrative"))
        latest = _figure(item.get("latest"), sample, "No figure yet")
        period = _text(item.get("period")).strip()
        if period and latest != "No figure yet":
            latest = f"{latest}\n({period})"
        rows.append(
            (
                _outcome_label(item.get("outcome")),
                _text(item.get("title")),
                latest,
                _figure(item.get("target"), sample, "Not set"),
                _figure(item.get("england"), sample, "No data"),
                _figure(item.get("neighbours"), sample, "No data"),
                _or(item.get("rag"), "Not rated"),
                _or(item.get("direction"), "Not known"),
            )
        )
    _data_table(
        doc,
        (
            _cap(terms["outcome"]),
            "Indicator",
            "Latest",
            "Target",
            "England",
            "Statistical neighbours",
            "RAG",
            "Direction",
        ),
        rows,
        (1.6, 4.6, 1.9, 1.6, 1.7, 2.1, 1.6, 1.9),
        size=WIDE_TABLE_SIZE,
        rag_column=6,
    )
    for item in indicators:
        if item.get("chart"):
            _report_chart(doc, item, chart_png)


def _report_chart(doc, item: dict, chart_png) -> None:
    """A priority indicator's chart as a picture whose alt text is its trend in words, the
    words again under it, and the whole series it draws as a table: kept together."""
    chart = item["chart"]
    title = _text(chart.get("title")).strip()
    words = _text(chart.get("trend")).strip()
    picture = doc.add_picture(
        io.BytesIO(chart_png(**chart_arguments(chart))), width=Cm(PORTRAIT_TEXT_WIDTH)
    )
    doc_pr = picture._inline.docPr
    doc_pr.set("name", f"Chart: {title}"[:250])
    doc_pr.set("title", title)
    doc_pr.set("descr", f"{title}. {words}")
    chart_paragraph = doc.paragraphs[-1]
    chart_paragraph.paragraph_format.keep_with_next = True
    chart_paragraph.paragraph_format.space_after = Pt(2)
    _paragraph(doc, words, size=TABLE_SIZE).paragraph_format.keep_with_next = True
    sample = "illustrative " if item.get("illustrative") else ""
    caption = _paragraph(doc, f"{title}: {sample}figures by period", bold=True, size=TABLE_SIZE)
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_after = Pt(2)
    names = [_text(one.get("name")) for one in chart.get("series") or []]
    rest = (PORTRAIT_TEXT_WIDTH - 2.2) / max(len(names), 1)
    table = _data_table(
        doc, ["Period", *names], chart.get("rows") or [], [2.2] + [rest] * len(names)
    )
    for row in table.rows:
        for cell in row.cells[1:]:
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # The table stays on one page with its caption (Word keeps a row with the next one).
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _report_views(doc, views: list, terms: dict) -> None:
    doc.add_heading("Children and young people's views", level=2)
    if not views:
        _paragraph(doc, "No views were recorded in the updates for this quarter.")
        return
    for view in views:
        _narrative(doc, view.get("text"), empty="(No text recorded.)")
        source = _or(view.get("source"), "Not recorded")
        outcome = _text(view.get("outcome")).strip()
        note = f"Source: {source}" + (f" ({terms['outcome']} {outcome})" if outcome else "")
        paragraph = _paragraph(doc, note, italic=True)
        paragraph.paragraph_format.space_after = Pt(10)


def _you_said_we_did(doc, rows, *, level: int, empty: str) -> None:
    """What children and young people said and what was done about it (voices.selectors)."""
    doc.add_heading("You said, we did", level=level)
    if not rows:
        _paragraph(doc, empty)
        return
    for row in rows:
        _narrative(doc, row.get("said"), empty="(No words recorded.)")
        _paragraph(
            doc, f"{_text(row.get('source'))}, {long_date(row.get('heard_on'))}", italic=True
        )
        # The response's status leads: "Done: ...", "We will do this: ...", "No response yet."
        status = _text(row.get("status")).strip()
        if _text(row.get("we_did")).strip():
            who = _text(row.get("who")).strip()
            due = long_date(row.get("due_on"))
            by = f" ({who}{', by ' + due if due else ''})" if who else ""
            text = f"{status}: {_text(row.get('we_did'))}{by}"
        else:
            text = f"{status}."
        paragraph = _paragraph(doc, text)
        paragraph.paragraph_format.space_after = Pt(10)


def _moves(items) -> list[str]:
    lines = []
    for item in items or []:
        parts = [_text(part).strip() for part in item]
        if len(parts) >= 3:
            lines.append(f"{parts[0]}: {parts[1] or 'none'} → {parts[2] or 'none'}")
        elif parts:
            lines.append(" ".join(parts))
    return lines


def _report_changes(doc, changes: dict) -> None:
    doc.add_heading("What changed since the last report", level=2)
    changes = changes or {}
    since, until = long_date(changes.get("since")), long_date(changes.get("until"))
    if since and until:
        _paragraph(doc, f"Changes to the action plan between {since} and {until}.")
    elif since:
        _paragraph(doc, f"Changes to the action plan since {since}.")
    elif until:
        _paragraph(doc, f"Changes to the action plan up to {until}.")
    if "counts" in changes:
        _grouped_changes(doc, changes)
        return
    # A report issued before changes were grouped by outcome keeps its lists.
    groups = (
        ("Actions completed", [_text(x).strip() for x in changes.get("completed") or []]),
        ("Status changes", _moves(changes.get("status_moved"))),
        ("RAG changes", _moves(changes.get("rag_moved"))),
        ("Actions added", [_text(x).strip() for x in changes.get("added") or []]),
        ("Actions removed", [_text(x).strip() for x in changes.get("removed") or []]),
        ("Target dates moved", _moves(changes.get("target_moved"))),
    )
    shown = False
    for label, lines in groups:
        if not lines:
            continue
        shown = True
        paragraph = _paragraph(doc, label, bold=True)
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_after = Pt(2)
        _bullets(doc, lines)
    if not shown:
        _paragraph(doc, "Nothing changed in the plan in that time.")


def _changes_table(doc, caption: str, groups: list) -> None:
    """One part of the changes (actionplans.selectors.changes_by_outcome): a row across the table
    naming each outcome, then its summary lines and its changes."""
    label = _paragraph(doc, caption, bold=True)
    label.paragraph_format.keep_with_next = True
    label.paragraph_format.space_after = Pt(2)
    rows, spanning = [], []
    for group in groups:
        name, statement = _text(group.get("name")).strip(), _text(group.get("statement")).strip()
        spanning.append((len(rows), True))
        rows.append((f"{name}: {statement}" if name else statement, "", "", ""))
        for line in group.get("summaries") or []:
            spanning.append((len(rows), False))
            rows.append((_text(line), "", "", ""))
        for row in group.get("rows") or []:
            action = " ".join(
                part for part in (_text(row.get("action")), _text(row.get("name"))) if part
            )
            rows.append(
                (
                    action or "–",
                    _text(row.get("change")),
                    _or(row.get("before"), "–"),
                    _or(row.get("after"), "–"),
                )
            )
    table = _data_table(doc, ("Action", "What changed", "From", "To"), rows, (8.0, 2.8, 3.0, 3.0))
    for index, heading in spanning:
        cells = table.rows[index + 1].cells
        merged = cells[0].merge(cells[3])
        for extra in merged.paragraphs[1:]:
            if not extra.text:
                extra._element.getparent().remove(extra._element)
        if heading:
            _shade(merged, HEADER_FILL)
            for run in merged.paragraphs[0].runs:
                run.bold = True
            merged.paragraphs[0].paragraph_format.keep_with_next = True


def _grouped_changes(doc, changes: dict) -> None:
    significant, other = changes.get("significant") or [], changes.get("other") or []
    if not significant and not other:
        _paragraph(doc, "Nothing changed in the plan in that time.")
        return
    if significant:
        _changes_table(
            doc,
            "Significant changes: ratings that worsened, actions off track or complete, "
            "targets moved",
            significant,
        )
    else:
        _paragraph(
            doc,
            "No rating worsened, no action went off track or was completed and no target moved.",
        )
    if other:
        _changes_table(doc, "Other changes", other)


def _report_quarter(doc, data: dict, terms: dict, chart_png) -> None:
    """A quarterly progress report's information: the quarter's progress from the records."""
    if data.get("no_accepted_updates"):
        warning = _paragraph(
            doc,
            f"No {terms['outcome']} updates had been accepted for this period when this "
            "report was produced.",
            bold=True,
            size=Pt(12),
        )
        _shade_paragraph(warning, "FFE0A3")
    _narrative(doc, data.get("information"))
    period = data.get("period") or {}
    intro = _period_sentence(period, data.get("as_at"))
    if intro:
        _paragraph(doc, intro)
    _report_exceptions(doc, list(data.get("exceptions") or []), data.get("late_updates"), terms)
    _report_progress(doc, list(data.get("outcomes") or []), terms)
    _report_indicators(doc, list(data.get("indicators") or []), terms, chart_png)
    _report_views(doc, list(data.get("views") or []), terms)
    if data.get("you_said_we_did") is not None:
        _you_said_we_did(
            doc,
            data["you_said_we_did"],
            level=3,
            empty="No views were heard for this quarter's review.",
        )
    _report_changes(doc, data.get("changes") or {})


def _subject_sentence(report_type: str, period: dict, as_at, terms: dict) -> str:
    plan = _text(period.get("plan")).strip()
    strategy = _text(period.get("strategy")).strip()
    when = long_date(as_at)
    if report_type == "annual" and plan:
        sentence = f"This report looks back on the year of the {plan}"
        sentence += f" of the {strategy}" if strategy else ""
    elif report_type == "approval" and strategy:
        sentence = f"This report puts the {strategy} forward for approval"
        sentence += f", with the {terms['priorities']} of the {plan}" if plan else ""
    else:
        return ""
    return sentence + (f", from the records as at {when}." if when else ".")


def _report_annual(doc, annual: dict, terms: dict) -> None:
    """The plan year's summary, as the annual summary page gives it."""
    year = _text(annual.get("year")).strip()
    doc.add_heading(f"The {year} plan year" if year else "The plan year", level=2)
    completed, carried = annual.get("completed") or [], annual.get("carried") or []
    left, withdrawn = annual.get("left_behind") or [], annual.get("withdrawn") or []
    summary = (
        f"{len(completed)} action{'s' if len(completed) != 1 else ''} completed, "
        f"{len(carried)} carried forward, {len(left)} not complete and not carried forward, "
        f"{len(withdrawn)} withdrawn."
    )
    for next_year in annual.get("next_plans") or []:
        summary += f" The next plan is for {_text(next_year)}."
    _paragraph(doc, summary)

    def named(item) -> str:
        outcome = _text(item.get("outcome")).strip()
        name = _text(item.get("name"))
        return f"{name} ({terms['outcome']} {outcome})" if outcome else name

    lists = (
        ("Completed", [named(i) for i in completed]),
        (
            "Carried forward",
            [f"{_text(i.get('name'))} (to the {_text(i.get('to'))} plan)" for i in carried],
        ),
        (
            "Not complete and not carried forward",
            [f"{_text(i.get('name'))} ({_text(i.get('status')).lower()})" for i in left],
        ),
        ("Withdrawn", [_text(i.get("name")) for i in withdrawn]),
    )
    for heading, lines in lists:
        if lines:
            doc.add_heading(heading, level=3)
            _bullets(doc, lines)
    indicators = annual.get("indicators") or []
    if indicators:
        _annual_indicators(doc, indicators, terms)
    if annual.get("frameworks"):
        doc.add_heading("The national frameworks", level=3)
        _paragraph(
            doc,
            f"Each part of each national framework, with the {terms['outcomes']}, indicators "
            "and actions of the plan tagged as serving it.",
        )
        _framework_tables(doc, annual["frameworks"], terms, actions=True)
    if annual.get("you_said_we_did") is not None:
        _you_said_we_did(
            doc,
            annual["you_said_we_did"],
            level=3,
            empty="No views of children and young people were recorded in the plan year.",
        )


def _framework_tables(doc, frameworks: list, terms: dict, *, actions: bool) -> None:
    """Each framework's parts with what serves them (coverage_for_documents): a table each."""
    for framework in frameworks:
        what = "what the plan did for each part" if actions else "what serves each part"
        _paragraph(
            doc,
            f"{_text(framework.get('name'))} ({_text(framework.get('edition'))}): {what}",
            bold=True,
        )
        rows = []
        for row in framework.get("rows") or []:
            cells = [
                _text(row.get("part")),
                ", ".join(_text(o) for o in row.get("outcomes") or []) or "None",
                _text(row.get("indicators") or "None"),
            ]
            if actions:
                cells += [_text(row.get("actions") or "None"), _text(row.get("coverage"))]
            rows.append(tuple(cells))
        headings = ("Part", _cap(terms["outcomes"]), "Indicators")
        if actions:
            _data_table(doc, (*headings, "Actions", "Coverage"), rows, (6.4, 2.6, 2.2, 2.2, 3.6))
        else:
            _data_table(doc, headings, rows, (9.0, 4.0, 4.0))


def _annual_indicators(doc, indicators: list, terms: dict) -> None:
    doc.add_heading(f"How each {terms['priority']} moved", level=3)
    rows = []
    for item in indicators:
        first, latest = _text(item.get("first")).strip(), _text(item.get("latest")).strip()
        rag = _or(item.get("rag"), "Not assessed")
        direction = _text(item.get("direction")).strip()
        rows.append(
            (
                _text(item.get("title")),
                f"{first} ({_text(item.get('first_period'))})" if first else "None in the year",
                f"{latest} ({_text(item.get('latest_period'))})" if latest else "No figure",
                f"{rag}, {direction.lower()}" if direction else rag,
            )
        )
    _data_table(
        doc,
        (_cap(terms["priority"]), "First figure in the year", "Latest", "Against target"),
        rows,
        (6.2, 3.6, 3.6, 3.6),
    )


def _report_approval(doc, approval: dict, terms: dict) -> None:
    """The strategy's outcomes under their groups, with the plan's priorities: each one's
    number, where it came from and why it was chosen."""
    plan = _text(approval.get("plan")).strip()
    heading = f"The {terms['outcomes']}" + (f" and {terms['priorities']}" if plan else "")
    doc.add_heading(f"{heading} for approval", level=2)
    groups = approval.get("groups") or []
    if not groups:
        _paragraph(doc, f"The strategy has no {terms['outcomes']} yet.")
    for group in groups:
        if _text(group.get("heading")).strip():
            doc.add_heading(_text(group.get("heading")), level=3)
        elif len(groups) > 1:  # the outcomes outside any group, after the groups
            doc.add_heading(f"Other {terms['outcomes']}", level=3)
        rows = []
        for outcome in group.get("outcomes") or []:
            statement = _text(outcome.get("statement"))
            if _text(outcome.get("kind")).strip():
                statement += f" ({_text(outcome.get('kind'))})"
            number = _text(outcome.get("reference"))
            if not plan:
                rows.append((number, statement))
                continue
            priorities = outcome.get("priorities") or []
            if not priorities:
                rows.append(
                    (number, statement, f"No {terms['priority']} chosen in the plan.", "", "")
                )
            for index, priority in enumerate(priorities):
                rows.append(
                    (
                        number if index == 0 else "",
                        statement if index == 0 else "",
                        _text(priority.get("title")),
                        _or(priority.get("origin"), "Not recorded"),
                        _or(priority.get("rationale"), "Not recorded"),
                    )
                )
        if plan:
            headers = (
                "No.",
                _cap(terms["outcome"]),
                _cap(terms["priority"]),
                "Where it came from",
                "Why it was chosen",
            )
            widths = (1.2, 4.2, 3.8, 3.4, 4.4)
        else:
            headers, widths = ("No.", _cap(terms["outcome"])), (1.5, 15.5)
        _data_table(doc, headers, rows, widths, size=WIDE_TABLE_SIZE if plan else TABLE_SIZE)


def _report_sections(doc, sections: list, *, at_end: bool) -> None:
    """The optional sections the council's template has; one not yet written says so."""
    for section in sections:
        if bool(section.get("at_end")) != at_end:
            continue
        doc.add_heading(_or(section.get("heading"), "Section"), level=1)
        _narrative(
            doc,
            section.get("text"),
            empty="Not written yet: write it, or leave it out of this report, before issuing.",
        )


def report_docx(data: dict, *, chart_png=line_chart_png) -> bytes:
    """A committee report, in the shape of an English council committee paper.

    ``data`` (every key optional; missing or empty values get a sensible wording)::

        {
          "header": {"body", "meeting_on" (ISO date), "agenda_item", "title", "sponsor",
                     "author", "contact_details" (multi-line)},
          "status": "draft" | "issued", "version": int, "issued_on": ISO date or None,
          "purpose", "information", "other_options", "reasons", "statutory", "safeguarding",
          "service_users": text,
          "recommendations": [text, ...],
          "period": {"label", "plan", "strategy"},
          "as_at": ISO date-time,
          "no_accepted_updates": bool,
          "exceptions": [{"outcome", "action", "status", "rag", "owner_note", "target",
                          "overdue"}],
          "outcomes": [{"number", "statement", "owners": [text], "overall_rag", "summary",
                        "update_state", "counts": {status: int}}],
          "indicators": [{"outcome", "title", "latest", "period", "target", "england",
                          "neighbours", "rag", "direction", "illustrative"}],
          "views": [{"outcome" or None, "text", "source"}],
          "you_said_we_did": voices.selectors.document_rows (optional),
          "changes": {"since", "until", "counts", "significant" / "other": [{"name",
                      "statement", "summaries": [text], "rows": [{"action", "name",
                      "change", "before", "after"}]}]} (changes_by_outcome); a report issued
                      before that has {"since", "until", "completed": [name], "status_moved" /
                      "rag_moved" / "target_moved": [[name, from, to]], "added", "removed"},
          "type": "quarterly" (the default) | "annual" | "approval" | "other": which of
                  the above it has, or instead "annual" (see annual_content) or "approval"
                  (see approval_content in reports.selectors); "other" has none,
          "sections": [{"heading", "text", "at_end"}]: the optional sections,
        }

    Returns the .docx file as bytes: portrait A4, 2 cm margins, Arial 11pt, the title
    in the page header and "Page X of Y" in the footer. ``chart_png`` draws each chart's
    picture (the views pass figures.charts.cached_line_chart_png: this module needs no Django).
    """
    data = data or {}
    header = data.get("header") or {}
    terms = data["terms"]
    title = _or(header.get("title"), f"Report to the {terms['committee']}")
    draft = _text(data.get("status")).strip().lower() != "issued"
    version = _or(data.get("version"), "1")
    council = _text(data.get("council")).strip()
    doc = _new_document(
        f"DRAFT – {title}" if draft else title,
        author=_text(header.get("author")).strip() or council,
        terms=terms,
    )
    doc.core_properties.title = title
    doc.core_properties.subject = _text(header.get("body")).strip()

    # Header block.
    if council:
        _paragraph(doc, council, bold=True)
    body = _text(header.get("body")).strip()
    if body:
        _paragraph(doc, body, bold=True)
    if _text(header.get("meeting_on")).strip():
        _labelled(doc, "Date", long_date(header.get("meeting_on")))
    if _text(header.get("agenda_item")).strip():
        _labelled(doc, "Agenda item", _text(header.get("agenda_item")).strip())
    if _text(header.get("sponsor")).strip():
        _labelled(doc, "Report of", _text(header.get("sponsor")).strip())

    doc.add_heading(title, level=0)
    if draft:
        status_line = f"DRAFT – version {version} – not issued"
    elif _text(data.get("issued_on")).strip():
        status_line = f"Issued on {long_date(data.get('issued_on'))} – version {version}"
    else:
        status_line = f"Issued – version {version}"
    status = _paragraph(doc, status_line, bold=True, size=Pt(12) if draft else None)
    if draft:
        status.runs[0].font.color.rgb = RGBColor(0xA0, 0x00, 0x00)
    if _text(data.get("describes")).strip():
        _labelled(doc, "Drawn from", _text(data.get("describes")).strip() + ".")
    later = data.get("entered_after") or {}
    if draft and later.get("count"):
        _report_entered_after(doc, later)

    doc.add_heading("Purpose of the report", level=1)
    _narrative(doc, data.get("purpose"), empty=EMPTY_SECTION)

    doc.add_heading("Information and advice", level=1)
    report_type = data.get("type") or "quarterly"  # issued before reports had types
    if report_type == "quarterly":
        _report_quarter(doc, data, terms, chart_png)
    else:
        _narrative(doc, data.get("information"))
        intro = _subject_sentence(report_type, data.get("period") or {}, data.get("as_at"), terms)
        if intro:
            _paragraph(doc, intro)
        if report_type == "annual":
            _report_annual(doc, data.get("annual") or {}, terms)
        elif report_type == "approval":
            _report_approval(doc, data.get("approval") or {}, terms)

    doc.add_heading("Other options considered", level=1)
    _narrative(doc, data.get("other_options"), empty=EMPTY_SECTION)

    doc.add_heading("Reasons for recommendations", level=1)
    _narrative(doc, data.get("reasons"), empty=EMPTY_SECTION)

    doc.add_heading("Statutory and policy implications", level=1)
    _narrative(doc, data.get("statutory"), empty=EMPTY_SECTION)
    if _lines(data.get("safeguarding")):
        doc.add_heading("Safeguarding of children and vulnerable adults implications", level=2)
        _narrative(doc, data.get("safeguarding"))
    if _lines(data.get("service_users")):
        doc.add_heading("Implications for service users", level=2)
        _narrative(doc, data.get("service_users"))
    _report_sections(doc, list(data.get("sections") or []), at_end=False)

    doc.add_heading("Recommendations", level=1)
    recommendations = [
        r for r in (_text(r).strip() for r in data.get("recommendations") or []) if r
    ]
    if not recommendations:
        _paragraph(doc, "There are no recommendations.")
    for number, recommendation in enumerate(recommendations, start=1):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.9)
        paragraph.paragraph_format.first_line_indent = Cm(-0.9)
        paragraph.add_run(f"{number})\t")
        paragraph.add_run(recommendation)  # newlines become line breaks
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(0.9))

    # The contact's heading, words and lines stay together on one page.
    doc.add_heading("Contact", level=1).paragraph_format.keep_with_next = True
    author = _text(header.get("author")).strip()
    details = _lines(header.get("contact_details"))
    intro = _paragraph(doc, "For any enquiries about this report please contact:")
    intro.paragraph_format.keep_with_next = bool(author or details)
    if author:
        name = _paragraph(doc, author, bold=True)
        name.paragraph_format.space_after = Pt(0)
        name.paragraph_format.keep_with_next = bool(details)
    if details:
        _paragraph(doc, "\n".join(line.strip() for line in details))
    if not author and not details:
        _paragraph(doc, "No contact details have been given.")
    _report_sections(doc, list(data.get("sections") or []), at_end=True)
    return _save(doc)


def _shade_paragraph(paragraph, fill: str) -> None:
    """Shade a paragraph, keeping w:shd in its schema position inside w:pPr."""
    p_pr = paragraph._p.get_or_add_pPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    successors = {qn(f"w:{name}") for name in _PPR_AFTER_SHD}
    for child in p_pr:
        if child.tag in successors:
            child.addprevious(shading)
            return
    p_pr.append(shading)


# The w:pPr children that must come after w:shd (ECMA-376 CT_PPrBase order).
_PPR_AFTER_SHD = (
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)


def _period_sentence(period: dict, as_at) -> str:
    label = _text(period.get("label")).strip()
    plan = _text(period.get("plan")).strip()
    strategy = _text(period.get("strategy")).strip()
    if not (label or plan or strategy):
        return ""
    sentence = "This report sets out progress"
    if plan:
        sentence += f" on the {plan}"
    if strategy:
        sentence += f" of the {strategy}" if plan else f" on the {strategy}"
    if label:
        sentence += f" for {label}"
    when = long_date(as_at)
    if when:
        sentence += f", as at {when}"
    return sentence + "."


# --------------------------------------------------------------------------- plan


def plan_docx(data: dict) -> bytes:
    """The annual action plan, laid out like the council's own: landscape A4.

    ``data``::

        {
          "title": text, "year": "2016/17" (optional), "as_at": ISO date-time or None,
          "action_numbers": bool (optional: the plan numbers its actions),
          "outcomes": [{"number", "statement", "owners": [text], "priority_areas": [text],
                        "reference" ("2.3"), "kind_label" ("Delivery priority"),
                        "heading" (its group's or kind's heading), "heading_description",
                        "is_heading" (a plan heading that is not an outcome) (all optional),
                        "why_chosen": [{"title", "rationale", "origin"}] (optional),
                        "actions": [{"description" (multi-line, "- " bullets),
                                     "undertaken_by", "target", "status", "rag",
                                     "reference", "also_serves": [name],
                                     "comment" (optional)}]}],
          "commitments_without_action": [{"outcome", "text"}] or None (optional),
        }

    Each outcome gets a Heading 1 "Strategy outcome N: statement" (Heading 2 under its group's
    or kind's Heading 1; a plan heading has only that), a two-column table of owners and
    priority areas ("Priority areas for 2016/17" when the year is given), then a heading "How
    are we going to achieve these priorities?" and the action table (one row per action after
    the repeated header row, a "No." column where the plan numbers its actions; no table when
    there are no actions). The strategy's commitments with no action close the document, where
    the strategy has commitments.
    """
    data = data or {}
    title = _or(data.get("title"), "Annual action plan")
    council = _text(data.get("council")).strip()
    terms = data["terms"]
    doc = _new_document(title, terms=terms, landscape=True, author=council)
    if council:
        _paragraph(doc, council, bold=True)
    doc.add_heading(title, level=0)
    if _text(data.get("as_at")).strip():
        _paragraph(doc, f"As at {long_date(data.get('as_at'))}")
    year = _text(data.get("year")).strip()
    priority_label = _cap(terms["priorities"]) + (f" for {year}" if year else "")

    outcomes = list(data.get("outcomes") or [])
    if not outcomes:
        _paragraph(doc, f"There are no {terms['outcomes']} in this plan.")
    numbered = bool(data.get("action_numbers"))
    last_heading = ""
    for outcome in outcomes:
        # Under a group's or a kind's heading, the outcome's own heading is one level down.
        heading = _text(outcome.get("heading")).strip()
        if heading and heading != last_heading:
            doc.add_heading(heading, level=1)
            _narrative(doc, outcome.get("heading_description"))
        last_heading = heading
        # A plan heading's Heading 1 is its own: what follows sits one level under it.
        level = 2 if heading and not outcome.get("is_heading") else 1
        if not outcome.get("is_heading"):
            doc.add_heading(_outcome_heading(outcome, f"Strategy {terms['outcome']}"), level=level)
        owners = [o for o in (_text(o).strip() for o in outcome.get("owners") or []) if o]
        areas = [a for a in (_text(a).strip() for a in outcome.get("priority_areas") or []) if a]
        # Why each was chosen, where the plan says (documents made before this have no list).
        reasons = [_why_chosen(p) for p in outcome.get("why_chosen") or []]
        owner_row = (f"Responsible {terms['outcome']} owner(s)", owners or ["Not assigned"], False)
        _label_table(
            doc,
            [
                *([owner_row] if owners or not outcome.get("is_heading") else []),
                (priority_label, areas or ["None recorded"], bool(areas)),
                *([("Why they were chosen", reasons, False)] if reasons else []),
            ],
            (6.0, LANDSCAPE_TEXT_WIDTH - 6.0),
        )
        doc.add_heading(
            f"How are we going to achieve these {terms['priorities']}?", level=level + 1
        )
        actions = list(outcome.get("actions") or [])
        if not actions:
            _paragraph(doc, f"No actions have been added for this {terms['outcome']}.")
            continue
        rows = [
            (
                *([_text(action.get("reference"))] if numbered else []),
                _or(action.get("description"), "(No description.)")
                + (
                    f"\nAlso serves: {', '.join(action['also_serves'])}"
                    if action.get("also_serves")
                    else ""
                )
                + (
                    f"\nComment: {action['comment']}"
                    if _text(action.get("comment")).strip()
                    else ""
                ),
                _or(action.get("undertaken_by"), "Not assigned"),
                _or(action.get("target"), "Not set"),
                _or(action.get("status"), "Not recorded"),
                _or(action.get("rag"), "Not rated"),
            )
            for action in actions
        ]
        _data_table(
            doc,
            (
                *(["No."] if numbered else []),
                "Action",
                "This work will be undertaken by",
                "Target date for completion",
                "Status",
                "RAG",
            ),
            rows,
            (1.4, 9.6, 5.5, 3.4, 3.2, 2.6) if numbered else (11.0, 5.5, 3.4, 3.2, 2.6),
            rag_column=5 if numbered else 4,
        )
    _commitments_without_action(doc, data, level=1)
    return _save(doc)


def _outcome_heading(outcome: dict, word: str) -> str:
    """ "Strategy outcome 3: statement", or with its kind "Delivery priority 3: statement";
    the number as the strategy writes it (2.3)."""
    number = _text(outcome.get("reference") or outcome.get("number")).strip()
    statement = _text(outcome.get("statement")).strip()
    label = _text(outcome.get("kind_label")).strip() or word
    return f"{label} {number}: {statement}" if number else statement


def _why_chosen(priority: dict) -> str:
    """ "Title: why", and on a line of its own where it came from."""
    text = _text(priority.get("title"))
    if _text(priority.get("plan")).strip():
        text += f" ({priority['plan']} plan)"
    if _text(priority.get("rationale")).strip():
        text += f": {priority['rationale']}"
    if _text(priority.get("origin")).strip():
        text += f"\nWhere it came from: {priority['origin']}"
    return text


def _commitments_without_action(doc, data: dict, *, level: int) -> None:
    """The strategy's commitments that no action in the plan delivers, where it has any."""
    missing = data.get("commitments_without_action")
    if missing is None:
        return
    year = _text(data.get("year")).strip()
    doc.add_heading("Commitments with no action" + (f" in {year}" if year else ""), level=level)
    if not missing:
        _paragraph(doc, "Every commitment in the strategy has at least one action in this plan.")
        return
    _data_table(
        doc,
        (_cap(data["terms"]["outcome"]), "Commitment"),
        [(_text(c.get("outcome")), _text(c.get("text"))) for c in missing],
        (6.0, LANDSCAPE_TEXT_WIDTH - 6.0),
    )


# --------------------------------------------------------------------------- strategy


def strategy_docx(data: dict) -> bytes:
    """The strategy document: portrait A4.

    ``data``::

        {
          "title", "version" ("Draft v3, 4 April 2016", optional), "period", "status",
          "vision": text, "principles": [text], "pledge": text or "",
          "sections": [{"heading", "paragraphs": [text]}] (optional),
          "outcomes": [{"number", "statement", "owners": [text], "commitment": text,
                        "reference", "kind_label", "heading", "heading_description",
                        "commitments": [text], "why_chosen": [{"title", "plan",
                        "rationale", "origin"}] (optional),
                        "indicators": [{"title", "definition", "unit", "better",
                                        "source"}]}],
          "frameworks": coverage_for_documents's list (optional),
        }

    Headings: Title, then Heading 1 "Vision", "Principles", "Our pledge" (only when
    there is one), the strategy's own sections and "Outcomes", with a Heading 2 "Outcome N:
    statement" per outcome (Heading 3 under its group's or kind's Heading 2), its commitments
    as a list and its indicators in a table.
    """
    data = data or {}
    title = _or(data.get("title"), "Strategy")
    council = _text(data.get("council")).strip()
    terms = data["terms"]
    doc = _new_document(title, terms=terms, author=council)
    if council:
        _paragraph(doc, council, bold=True)
    doc.add_heading(title, level=0)
    if _text(data.get("version")).strip():
        _paragraph(doc, _text(data.get("version")).strip(), bold=True)
    if _text(data.get("period")).strip():
        _labelled(doc, "Period", _text(data.get("period")).strip())
    if _text(data.get("status")).strip():
        _paragraph(doc, _text(data.get("status")).strip())

    doc.add_heading("Vision", level=1)
    _narrative(doc, data.get("vision"), empty=EMPTY_SECTION)

    doc.add_heading("Principles", level=1)
    principles = [p for p in (_text(p).strip() for p in data.get("principles") or []) if p]
    if principles:
        _bullets(doc, principles)
    else:
        _paragraph(doc, "No principles have been recorded.")

    if _lines(data.get("pledge")):
        doc.add_heading("Our pledge", level=1)
        _narrative(doc, data.get("pledge"))

    for section in data.get("sections") or []:
        doc.add_heading(_text(section.get("heading")).strip(), level=1)
        for paragraph in section.get("paragraphs") or []:
            _paragraph(doc, _text(paragraph).strip())

    doc.add_heading(_cap(terms["outcomes"]), level=1)
    outcomes = list(data.get("outcomes") or [])
    if not outcomes:
        _paragraph(doc, f"There are no {terms['outcomes']} in this strategy.")
    last_heading = ""
    for outcome in outcomes:
        heading = _text(outcome.get("heading")).strip()
        if heading and heading != last_heading:
            doc.add_heading(heading, level=2)
            _narrative(doc, outcome.get("heading_description"))
        last_heading = heading
        level = 3 if heading else 2
        doc.add_heading(_outcome_heading(outcome, _cap(terms["outcome"])), level=level)
        owners = [o for o in (_text(o).strip() for o in outcome.get("owners") or []) if o]
        _labelled(
            doc,
            f"{_cap(terms['outcome'])} owner{'s' if len(owners) > 1 else ''}",
            "; ".join(owners) or "Not assigned",
        )
        _narrative(doc, outcome.get("commitment"))
        _bullets(doc, outcome.get("commitments") or [])
        reasons = [_why_chosen(p) for p in outcome.get("why_chosen") or []]
        indicators = list(outcome.get("indicators") or [])
        if not indicators:
            _paragraph(doc, f"No indicators have been set for this {terms['outcome']}.")
        else:
            doc.add_heading("Indicators", level=level + 1)
            rows = [
                (
                    _text(item.get("title")),
                    _text(item.get("definition")),
                    _text(item.get("unit")),
                    _text(item.get("better")),
                    _text(item.get("source")),
                )
                for item in indicators
            ]
            _data_table(
                doc,
                ("Indicator", "Definition", "Unit", "Better when", "Source"),
                rows,
                (3.8, 6.0, 2.2, 2.2, 2.8),
            )
        if reasons:
            doc.add_heading("Why they were chosen", level=level + 1)
            for reason in reasons:
                _paragraph(doc, reason)
    if data.get("frameworks"):
        doc.add_heading("The national frameworks", level=1)
        _paragraph(
            doc,
            f"Each part of each national framework, with the {terms['outcomes']} and "
            "indicators of the strategy tagged as serving it.",
        )
        _framework_tables(doc, data["frameworks"], terms, actions=False)
    return _save(doc)
