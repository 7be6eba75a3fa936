"""Uploaded text files (CSV) as text. No Django here: the file parsers use it on their own."""


def decode_text(data: bytes | str) -> str | None:
    """UTF-8 (with or without a byte order mark) or, failing that, Windows-1252, which is what
    Excel saves "CSV" as. None for a file that is not text: a spreadsheet or other binary file
    (a NUL character never appears in text)."""
    if isinstance(data, str):
        text = data
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            return None
    text = text.removeprefix("\ufeff")
    return None if "\x00" in text else text
