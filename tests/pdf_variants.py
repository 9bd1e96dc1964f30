"""Variants of real PDFs built at test time (never stored): the real bytes with one line of text added."""

from __future__ import annotations

import ctypes
import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def with_text_line(data: bytes, page: int, text: str, x: float = 72.0, y: float = 60.0) -> bytes:
    """The PDF with `text` drawn in Helvetica on 1-based `page` at (x, y) points from the bottom-left corner.

    The text object is appended to the page's content, so a text pass reads it after the page's own text.
    """
    pdf = pdfium.PdfDocument(data)
    try:
        p = pdf[page - 1]
        obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", ctypes.c_float(10.0))
        encoded = (text + "\0").encode("utf-16-le")
        buffer = ctypes.create_string_buffer(encoded, len(encoded))
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        pdfium_c.FPDFPage_InsertObject(p.raw, obj)
        if not pdfium_c.FPDFPage_GenerateContent(p.raw):
            raise RuntimeError("pdfium could not regenerate the page content")
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
    finally:
        pdf.close()


def with_segment_text(monkeypatch, old: str, new: str) -> None:
    """The real text layer as parsers/formats/pdf_blocks reads it, with one printed text changed wherever it
    stands alone in a segment (its characters spread evenly over the segment's box)."""
    import dataclasses

    from parsers.formats import pdf_blocks

    real = pdf_blocks.page_lines

    def retyped(seg: pdf_blocks.Segment) -> pdf_blocks.Segment:
        step = (seg.bbox[2] - seg.bbox[0]) / max(len(new), 1)
        return dataclasses.replace(seg, text=new, chars=tuple((ch, seg.bbox[0] + step * (i + 0.5))
                                                              for i, ch in enumerate(new)))

    def lines(*args, **kwargs):
        return [dataclasses.replace(x, segments=tuple(retyped(s) if s.text == old else s for s in x.segments))
                for x in real(*args, **kwargs)]

    monkeypatch.setattr(pdf_blocks, "page_lines", lines)


def with_cell_text(monkeypatch, module, old: str, new: str, page: int | None = None) -> None:
    """The real text layer as parsers/formats/pdf_label_values reads it for the series `module`, with every printed
    cell whose text is `old` (on `page`, or on every page) retyped as `new`, in the same box."""
    import dataclasses

    real = module.read_lines

    def lines(*args, **kwargs):
        return {p: [dataclasses.replace(x, cells=tuple(dataclasses.replace(c, text=new)
                                                       if c.text == old and page in (None, p) else c
                                                       for c in x.cells)) for x in found]
                for p, found in real(*args, **kwargs).items()}

    monkeypatch.setattr(module, "read_lines", lines)


def with_row_after(monkeypatch, label: str, new_label: str, page: int | None = None) -> None:
    """The real text layer with a new row printed just after the row labelled `label` (on `page`, else the first
    such row): the same figures, the label `new_label`. A copy of real characters, never stored."""
    import dataclasses

    from parsers.formats import pdf_blocks

    real = pdf_blocks.page_lines

    def lines(*args, **kwargs):
        out = list(real(*args, **kwargs))
        i = next(i for i, x in enumerate(out) if x.segments[0].text == label and page in (None, x.page))
        seg = out[i].segments[0]
        step = (seg.bbox[2] - seg.bbox[0]) / max(len(new_label), 1)
        renamed = dataclasses.replace(seg, text=new_label, chars=tuple(
            (ch, seg.bbox[0] + step * (k + 0.5)) for k, ch in enumerate(new_label)))
        out.insert(i + 1, dataclasses.replace(out[i], segments=(renamed, *out[i].segments[1:])))
        return out

    monkeypatch.setattr(pdf_blocks, "page_lines", lines)
