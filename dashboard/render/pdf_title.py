"""A PDF's document title: Chromium writes "Kaleido-fier" (kaleido's page name); exports
carry the image's title instead."""

from __future__ import annotations

import re

__all__ = ["set_pdf_title"]

_PDF_TAIL = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")
_PDF_XREF = re.compile(rb"xref\r?\n0 (\d+)[ ]?\r?\n")
_PDF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(?: \n| \r|\r\n)")
_PDF_TITLE = re.compile(rb"/Title\s*(?:\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>)", re.DOTALL)


def _pdf_string(text: str) -> bytes:
    if all(" " <= c <= "~" for c in text):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def set_pdf_title(pdf: bytes, title: str) -> bytes:
    """The PDF with its document title set to `title` (Chromium writes "Kaleido-fier",
    the name of kaleido's render page).

    Rewrites the /Title of the Info dictionary and shifts the cross-reference
    offsets after it. Only the simple layout Chromium (Skia) writes is
    touched: one classic xref table, no incremental updates, not linearised.
    Anything else is returned unchanged: a bogus title beats a broken file.
    """
    tail = _PDF_TAIL.search(pdf)
    if tail is None or pdf.count(b"startxref") != 1 or pdf.count(b"%%EOF") != 1 or b"/Linearized" in pdf[:1024]:
        return pdf
    xref_at = int(tail.group(1))
    header = _PDF_XREF.match(pdf, xref_at)
    if header is None:
        return pdf
    count, entries_at = int(header.group(1)), header.end()
    entries = [_PDF_ENTRY.match(pdf, entries_at + 20 * i) for i in range(count)]
    trailer_at = entries_at + 20 * count
    info = re.search(rb"/Info\s+(\d+)\s+0\s+R", pdf[trailer_at : tail.start()])
    if (
        not all(entries)
        or not pdf[trailer_at : tail.start()].lstrip().startswith(b"trailer")
        or info is None
        or not int(info.group(1)) < count
    ):
        return pdf
    number = int(info.group(1))
    entry = entries[number]
    assert entry is not None
    start = int(entry.group(1))
    if entry.group(3) != b"n" or not pdf.startswith(b"%d 0 obj" % number, start):
        return pdf
    end = pdf.find(b"endobj", start)
    body = pdf[start:end]
    titles = list(_PDF_TITLE.finditer(body))
    if end < 0 or end > xref_at or b"stream" in body or len(titles) > 1 or b"<<" not in body:
        return pdf
    new_title = b"/Title " + _pdf_string(title)
    if titles:
        new_body = body[: titles[0].start()] + new_title + body[titles[0].end() :]
    else:
        opening = body.index(b"<<") + 2
        new_body = body[:opening] + new_title + b"\n" + body[opening:]
    delta = len(new_body) - len(body)
    shifted = b"".join(
        b"%010d %s %s%s"
        % (
            int(m.group(1)) + delta if m.group(3) == b"n" and int(m.group(1)) > start else int(m.group(1)),
            m.group(2),
            m.group(3),
            m.group(0)[18:],
        )
        for m in entries
        if m is not None
    )
    return (
        pdf[:start]
        + new_body
        + pdf[end:entries_at]
        + shifted
        + pdf[trailer_at : tail.start(1)]
        + str(xref_at + delta).encode("ascii")
        + pdf[tail.end(1) :]
    )
