"""Tests for sitroom.ingest: reading .txt, .html and .jsonl reports and folders of them."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitroom.errors import InputError
from sitroom.ids import document_id
from sitroom.ingest import jsonl, read_inputs
from sitroom.ingest import readers as ingest
from sitroom.ingest.published import parse_published
from sitroom.records import Document

DATA = Path(__file__).resolve().parent / "data" / "ingest"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


def read_all(*paths: Path | str, **options: int) -> list[Document | InputError]:
    return list(read_inputs([Path(p) for p in paths], **options))


def only(items: list[Document | InputError]) -> Document | InputError:
    assert len(items) == 1, items
    return items[0]


def one_document(*paths: Path | str, **options: int) -> Document:
    item = only(read_all(*paths, **options))
    assert isinstance(item, Document), item
    return item


def one_error(*paths: Path | str, **options: int) -> InputError:
    item = only(read_all(*paths, **options))
    assert isinstance(item, InputError), item
    return item


def check_clean(document: Document) -> None:
    """What every Document must satisfy, whatever its input."""
    assert document.text and document.text == document.text.strip()
    assert unicodedata.is_normalized("NFC", document.text)
    assert "\r" not in document.text
    assert not any(
        unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in document.text
    )
    assert document.id == document_id(document.text)


# -- plain text --------------------------------------------------------------------------


def test_txt_with_front_matter() -> None:
    document = one_document(DATA / "front_matter.txt")
    assert document.title == "Clashes reported in the border district"
    assert document.source == "Regional Monitor"
    assert document.url == "https://monitor.example.net/reports/clashes-border-district"
    assert document.published == dt.date(2024, 11, 30)
    assert document.text.startswith("Fighting broke out")
    assert "---" not in document.text and "title:" not in document.text
    assert document.ref == str(DATA / "front_matter.txt")
    check_clean(document)


def test_a_front_matter_date_that_is_no_date_is_named(tmp_path: Path) -> None:
    """Finding: a bad front-matter date silently became an empty one, and relative dates in the
    text were then resolved against nothing. Now the report is named and skipped."""
    bad = tmp_path / "bad.txt"
    bad.write_text("---\npublished: 2024-13-45\n---\nShelling resumed on Monday.\n", "utf-8")
    good = tmp_path / "good.txt"
    good.write_text("---\npublished: 2024-12-02\n---\nShelling resumed on Monday.\n", "utf-8")
    error, document = read_all(tmp_path)
    assert isinstance(error, InputError) and error.source == str(bad)
    assert "publication date '2024-13-45' is not a date" in str(error)
    assert isinstance(document, Document) and document.published == dt.date(2024, 12, 2)


def test_txt_without_front_matter() -> None:
    path = DATA / "plain.txt"
    document = one_document(path)
    assert document.text == path.read_text(encoding="utf-8").strip()
    assert (document.title, document.source, document.url, document.published) == (None,) * 4
    check_clean(document)


@pytest.mark.parametrize(
    ("content", "text", "fields"),
    [
        # Unclosed front matter: the whole file is the report.
        ("---\ntitle: T\nBody text.", "---\ntitle: T\nBody text.", {}),
        # A leading rule followed by prose is not front matter.
        ("---\nA quiet night.\n---\nMore.", "---\nA quiet night.\n---\nMore.", {}),
        # 'date' is read as 'published'; quotes, comments and unknown keys are tolerated.
        (
            "---\n# a comment\ndate: '2024-11-30'\n"
            'title: "Quoted: with colon"\nauthor: X\n---\nBody.',
            "Body.",
            {"published": dt.date(2024, 11, 30), "title": "Quoted: with colon"},
        ),
        # Non-web URLs are dropped, not fatal (a date that is no date is an error: see below).
        (
            "---\nurl: javascript:alert(1)\n---\nBody.",
            "Body.",
            {"published": None, "url": None},
        ),
        # CRLF front matter.
        (
            "---\r\ntitle: T\r\n---\r\n\r\nBody.\r\nLine two.\r\n",
            "Body.\nLine two.",
            {"title": "T"},
        ),
    ],
)
def test_front_matter_variants(
    tmp_path: Path, content: str, text: str, fields: dict[str, object]
) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(content.encode("utf-8"))
    document = one_document(path)
    assert document.text == text
    for name, value in fields.items():
        assert getattr(document, name) == value


def test_front_matter_only_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("---\ntitle: Nothing else\n---\n\n", encoding="utf-8")
    assert "empty" in str(one_error(path))


def test_text_is_normalised(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    raw = "\ufeff  Cafe\u0301 shelled\r\nline\x07 two\tcol\rthree\x0cfour\x1b\n\n"
    path.write_bytes(raw.encode("utf-8"))
    document = one_document(path)
    assert document.text == "Café shelled\nline two\tcol\nthree\nfour"
    check_clean(document)


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes("\ufeffKyiv — двое погибших".encode("utf-16-le"))
    assert one_document(path).text == "Kyiv — двое погибших"


def test_cp1252_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"Caf\xe9 attacked in S\xe9gou \x96 \x93three dead\x94, officials said.")
    assert one_document(path).text == "Café attacked in Ségou – “three dead”, officials said."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Report: \x81\x8d\x8f\x90 and more", "byte 0x81 at offset 8"),
        # Valid cp1252, but far too many high bytes to be Western text.
        (b"ab" + bytes(range(0xC0, 0xFF)) * 3, "byte 0xc0 at offset 2"),
        # Decodes as cp1252, but to symbols no Western text is made of.
        (b"Total: \xac\xa6\xa8\xaf text text text text", "byte 0xac at offset 7"),
    ],
)
def test_undecodable_bytes(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    error = one_error(path)
    assert "not UTF-8 text" in str(error) and expected in str(error)
    assert error.source == str(path) and error.line is None


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)),
        ("controls.txt", bytes(range(1, 9)) * 50 + b"some text"),
        ("binary.jsonl", b'{"id": "1", "text": "x"}\n\x00\x01\x02\x03'),
        ("binary.html", b"<html>\x00\x00\x00<p>text</p></html>"),
    ],
)
def test_binary_file(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert "binary file" in str(one_error(path))


@pytest.mark.parametrize("name", ["empty.txt", "blank.txt", "empty.jsonl", "blank.jsonl"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"" if name.startswith("empty") else b"  \n\t\r\n \n")
    assert "empty file" in str(one_error(path))


def test_huge_report_is_rejected_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Shelling continued overnight.\n" * 166_666 + b"x" * 20)
    opened = Path.open

    def guarded(self: Path, *args: Any, **kwargs: Any) -> Any:
        assert self != path, "a file over the limit was opened"
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded)
    error = one_error(path)
    assert "5,000,000 bytes" in str(error) and "1,000,000 characters" in str(error)


def test_report_over_max_chars_after_decoding(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("x" * 1_500, encoding="utf-8")
    error = one_error(path, max_chars=1_000)
    assert "1,500 characters" in str(error) and "1,000" in str(error)
    # Multi-byte text within the character limit is accepted though its bytes exceed it.
    path.write_text("ж" * 900, encoding="utf-8")
    assert len(one_document(path, max_chars=1_000).text) == 900


def test_max_chars_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        read_all(DATA / "plain.txt", max_chars=0)


def test_missing_path_and_unsupported_suffix(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    missing, unsupported, good = read_all(tmp_path / "nope.txt", pdf, DATA / "plain.txt")
    assert isinstance(missing, InputError) and "no such file" in str(missing)
    assert isinstance(unsupported, InputError) and "'.pdf'" in str(unsupported)
    assert isinstance(good, Document)


def test_symlinked_device_is_not_read(tmp_path: Path) -> None:
    device = Path("/dev/zero")
    if not device.exists():
        pytest.skip("/dev/zero is absent on this system")
    link = tmp_path / "zero.txt"
    link.symlink_to(device)
    assert "not a regular file" in str(one_error(link))


def test_string_paths_are_accepted() -> None:
    document = only(list(read_inputs([str(DATA / "plain.txt")])))
    assert isinstance(document, Document) and document.ref == str(DATA / "plain.txt")


def test_same_text_gives_same_id(tmp_path: Path) -> None:
    text = "Militants attacked a checkpoint near Gao on Monday, the army said."
    (tmp_path / "a.txt").write_text(text + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(f"---\ntitle: Other title\n---\r\n{text}\r\n".encode())
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "c1", "text": text}) + "\n")
    first = [d.id for d in read_all(tmp_path) if isinstance(d, Document)]
    second = [d.id for d in read_all(tmp_path) if isinstance(d, Document)]
    assert first == second and len(first) == 3 and len(set(first)) == 1


# -- HTML --------------------------------------------------------------------------------


def test_html_article_without_boilerplate() -> None:
    document = one_document(DATA / "article.html")
    assert "A drone struck a fuel depot on the outskirts of Sudzha" in document.text
    assert "fuel deliveries would be rerouted" in document.text
    for boilerplate in ("Subscribe", "Copyright", "Privacy policy", "Most read", "recipes"):
        assert boilerplate not in document.text
    assert document.title == "Drone strike hits fuel depot near Sudzha"
    assert document.source == "The Frontline Courier"
    assert document.url == "https://courier.example.org/world/drone-strike-fuel-depot"
    assert document.published == dt.date(2024, 11, 30)
    assert document.ref == str(DATA / "article.html")
    check_clean(document)


def test_hostile_html_yields_only_text() -> None:
    document = one_document(DATA / "hostile.html")
    assert "ceasefire talks" in document.text
    assert "Talks are expected to continue on Wednesday" in document.text
    for field in (document.text, document.title or "", document.source or ""):
        assert not MARKUP.search(field), field
        for bad in ("<script", "onerror", "onclick", "javascript:", "alert(", "cookie"):
            assert bad not in field.lower()
    assert document.url is None
    check_clean(document)


def test_html_deep_nesting_does_not_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text(
        "<html><body>" + "<div>" * 50_000 + "Buried text" + "</div>" * 50_000 + "</body></html>"
    )
    start = time.perf_counter()
    item = only(read_all(path))
    assert time.perf_counter() - start < 10
    if isinstance(item, Document):
        assert not MARKUP.search(item.text)


def test_html_with_too_many_elements(tmp_path: Path) -> None:
    path = tmp_path / "many.html"
    path.write_text(
        "<html><body>" + "<p>x</p>" * (ingest.MAX_HTML_ELEMENTS + 10) + "</body></html>"
    )
    start = time.perf_counter()
    error = one_error(path)
    assert "HTML elements" in str(error)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>Only a title</title></head><body></body></html>",
        "<html><body><script>alert(1)</script><style>p{}</style></body></html>",
        "<html><body><p> \u00a0 </p><div><!-- nothing --></div></body></html>",
    ],
)
def test_html_without_article_text(tmp_path: Path, html: str) -> None:
    path = tmp_path / "page.htm"
    path.write_text(html, encoding="utf-8")
    assert "no extractable article text" in str(one_error(path))


# -- JSONL -------------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines() -> None:
    items = read_all(DATA / "reports.jsonl")
    documents = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [d.ref for d in documents] == ["r-001", "r-003", "5"]
    assert [e.line for e in errors] == [2, 4]
    assert all(e.source == str(DATA / "reports.jsonl") for e in errors)
    assert str(errors[0]).startswith(f"{DATA / 'reports.jsonl'}:2: bad JSON")
    assert "not a JSON object" in str(errors[1])
    first = documents[0]
    assert (first.title, first.source, first.url) == (
        "Protest dispersed",
        "Wire Desk",
        "https://wire.example.com/r-001",
    )
    assert first.published == dt.date(2025, 2, 3)
    assert documents[1].published == dt.date(2025, 2, 4)
    for document in documents:
        check_clean(document)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b'{"text": "x"}', "missing 'id'"),
        (b'{"id": "  ", "text": "x"}', "empty 'id'"),
        (b'{"id": ["a"], "text": "x"}', "'id' must be a string, not array"),
        (b'{"id": true, "text": "x"}', "'id' must be a string, not boolean"),
        (b'{"id": "a"}', "missing 'text'"),
        (b'{"id": "a", "text": 12}', "'text' must be a string, not number"),
        (b'{"id": "a", "text": " \\u0000 "}', "empty 'text'"),
        (b'{"id": "a", "text": "x", "title": 3}', "'title' must be a string or null"),
        (b'{"id": "a", "text": "x", "published": {"y": 1}}', "'published' must be a string"),
        (b'{"id": "a", "text": "x", "published": "soon"}', "publication date 'soon' is not a date"),
        (b'{"id": "a", "text": "caf\xe9"}', "not UTF-8 text (byte 0xe9 at offset 24)"),
        (b'"just a string"', "not a JSON object (got string)"),
        (b"{'id': 'a'}", "bad JSON"),
        (b"[" * 100_000, "bad JSON"),
    ],
)
def test_jsonl_bad_line(tmp_path: Path, line: bytes, expected: str) -> None:
    path = tmp_path / "reports.jsonl"
    good = json.dumps({"id": "ok", "text": "Fighting resumed at dawn."}).encode()
    path.write_bytes(good + b"\n\n" + line + b"\n" + good + b"\n")
    first, error, last = read_all(path)
    assert isinstance(first, Document) and isinstance(last, Document)
    assert isinstance(error, InputError) and error.line == 3
    assert expected in str(error) and str(error).startswith(f"{path}:3: ")


def test_jsonl_bom_surrogates_and_tabs(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "one\ttab \\ud800 lone"}\r\n')
    document = one_document(path)
    assert document.ref == "a" and document.text == "one\ttab  lone"


def test_jsonl_long_lines(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    lines = [
        {"id": "long", "text": "y" * 500},
        {"id": "ok", "text": "short"},
        {"id": "huge", "text": "z" * 400_000},
        {"id": "after", "text": "still read"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    long, ok, huge, after = read_all(path, max_chars=100)
    assert isinstance(long, InputError) and long.line == 1
    assert "500 characters, over the limit of 100" in str(long)
    assert isinstance(huge, InputError) and huge.line == 3 and "line is over" in str(huge)
    assert isinstance(ok, Document) and isinstance(after, Document) and after.ref == "after"


# -- folders -----------------------------------------------------------------------------


def test_folder_recursion_is_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a/z.TXT",
        "a/c/d.html",
        "a/b.jsonl",
        "A.txt",
        ".hidden.txt",
        ".git/x.txt",
        "notes.md",
        "a/image.png",
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".html"):
            path.write_bytes((DATA / "article.html").read_bytes())
        elif name.endswith(".jsonl"):
            path.write_text(json.dumps({"id": "j1", "text": f"Report {name}."}) + "\n")
        else:
            path.write_text(f"Report {name}.", encoding="utf-8")
    refs = [item.ref for item in read_all(tmp_path) if isinstance(item, Document)]
    assert refs == [
        str(tmp_path / "A.txt"),
        "j1",
        str(tmp_path / "a/c/d.html"),
        str(tmp_path / "a/z.TXT"),
        str(tmp_path / "b.txt"),
    ]
    assert [item.ref for item in read_all(tmp_path) if isinstance(item, Document)] == refs
    assert len(read_all(tmp_path)) == 5


def test_folder_without_reports(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("nothing here")
    assert "holds no" in str(one_error(tmp_path))


def test_symlinked_folder_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "r.txt").write_text("A report.")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real", target_is_directory=True)
    assert one_document(tmp_path).ref == str(tmp_path / "real" / "r.txt")


def test_a_folder_nested_thousands_deep_is_read_whole() -> None:
    # Finding: the walk recursed once a level, so ~1000 levels raised RecursionError and the
    # batch was lost. Outside pytest's tmp_path: its clean-up (shutil.rmtree) recurses too, and
    # a tree left behind by an interrupted run would break every later session.
    root = Path(tempfile.mkdtemp(prefix="sitroom-deep-"))
    deep = root
    try:
        (root / "top.txt").write_text("A report at the top.")
        for _ in range(1200):  # one level at a time: mkdir(parents=True) recurses as well
            deep = deep / "d"
            deep.mkdir()
        (deep / "bottom.txt").write_text("A report at the bottom.")
        refs = [item.ref for item in read_all(root) if isinstance(item, Document)]
        assert refs == [str(deep / "bottom.txt"), str(root / "top.txt")]
    finally:
        (deep / "bottom.txt").unlink(missing_ok=True)
        (root / "top.txt").unlink(missing_ok=True)
        while deep != root:
            deep.rmdir()
            deep = deep.parent
        root.rmdir()


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >>", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "a ZIP archive"),
    ],
)
def test_a_binary_format_renamed_txt_is_named(tmp_path: Path, data: bytes, what: str) -> None:
    # Finding: a PDF renamed .txt was read as text (its header has few control bytes).
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    assert f"binary file ({what}" in str(one_error(path))


def test_vertical_tab_and_form_feed_are_whitespace_not_binary(tmp_path: Path) -> None:
    # Finding: a file of whitespace holding VT/FF was called "binary".
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b" \x0b\x0c\n\x0b\x0c \n" * 50)
    assert "empty file" in str(one_error(blank))
    paged = tmp_path / "paged.txt"
    paged.write_bytes(b"Rebels advanced.\x0c\x0b" * 20 + b"The army withdrew.")
    assert one_document(paged).text.endswith("The army withdrew.")


def test_a_symlink_leaving_the_folder_is_refused_and_named(tmp_path: Path) -> None:
    # Finding: a link to a file outside the input folder was read, stored and then published
    # by `serve` at /api/documents.
    secret = tmp_path / "private" / "notes.txt"
    secret.parent.mkdir()
    secret.write_text("Private notes, not a report.")
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "good.txt").write_text("Rebels advanced towards Hama.")
    (folder / "inside.txt").symlink_to(folder / "good.txt")
    (folder / "leak.txt").symlink_to(secret)
    items = read_all(folder)
    errors = [i for i in items if isinstance(i, InputError)]
    refs = sorted(i.ref for i in items if isinstance(i, Document))
    assert refs == [str(folder / "good.txt"), str(folder / "inside.txt")]
    [error] = errors
    assert error.source == str(folder / "leak.txt")
    assert f"symlink to {secret}, outside {folder}" in str(error)
    assert "--follow-symlinks" in str(error)
    followed = list(read_inputs([folder], follow_symlinks=True))
    assert str(folder / "leak.txt") in {i.ref for i in followed if isinstance(i, Document)}


# -- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-11-30", dt.date(2024, 11, 30)),
        ("2025-03-14 20:30:26Z", dt.date(2025, 3, 14)),
        ("2024-11-30T23:30:00-05:00", dt.date(2024, 11, 30)),
        ("30 November 2024", dt.date(2024, 11, 30)),
        ("  30  Nov 2024 ", dt.date(2024, 11, 30)),
        ("November 30, 2024", dt.date(2024, 11, 30)),
        ("Saturday, 30 November 2024", dt.date(2024, 11, 30)),
        ("Sat, 30 Nov 2024 10:00:00 GMT", dt.date(2024, 11, 30)),
        ("30.11.2024", dt.date(2024, 11, 30)),
        ("Nov. 30th, 2024", dt.date(2024, 11, 30)),
        ("le 30 novembre 2024", dt.date(2024, 11, 30)),
        (None, None),
        ("", None),
        ("garbage", None),
        ("yesterday", None),
        ("November 2024", None),
        ("0001-01-01", None),
        ("2024-13-45", None),
        ("9" * 500, None),
    ],
)
def test_parse_published(value: str | None, expected: dt.date | None) -> None:
    assert parse_published(value) == expected


# -- properties --------------------------------------------------------------------------

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)
_RECORDS = st.fixed_dictionaries(
    {},
    optional={
        key: _JSON_VALUES | st.text()
        for key in ("id", "text", "title", "source", "url", "published")
    },
)


def _check_items(items: list[Document | InputError]) -> None:
    for item in items:
        assert isinstance(item, Document | InputError), item
        if isinstance(item, Document):
            check_clean(item)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2_000), suffix=st.sampled_from([".txt", ".jsonl"]))
def test_arbitrary_bytes_never_raise(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    _check_items(read_all(path))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=st.lists(_RECORDS | _JSON_VALUES, min_size=1, max_size=4))
def test_arbitrary_json_lines_never_raise(tmp_path: Path, records: list[object]) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    items = read_all(path)
    _check_items(items)
    assert len(items) == len(records)


# -- shared data -------------------------------------------------------------------------


@pytest.mark.shared
@pytest.mark.parametrize(
    "name",
    [
        "voa/voa_stories.jsonl",
        "case2021/dev.jsonl",
        "geoparsing/gwn_dev.jsonl",
        "geoparsing/trnews.jsonl",
    ],
)
def test_shared_jsonl_reads_cleanly(name: str) -> None:
    path = SHARED / "data" / name
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/data is present only in CI and dev checkouts)")
    raw = {}
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            raw[str(record["id"])] = record["text"]
    items = read_all(path)
    errors = [i for i in items if isinstance(i, InputError)]
    assert not errors, errors[:3]
    assert len(items) == len(raw)
    for item in items:
        assert isinstance(item, Document)
        check_clean(item)
        # Gold character offsets in these sets stay valid: only trailing space is dropped.
        assert item.text == raw[item.ref].rstrip()


# --- a large JSONL file in parts, for readers on several machines --------------------------------

_RECORD_LINES = st.one_of(
    st.builds(lambda t: json.dumps({"text": f"Report {t}: shelling near Idlib."}), st.integers()),
    st.just(""),  # blank
    st.just("   "),
    st.just("{not json"),
    st.just(json.dumps({"title": "no text"})),
    st.just("x" * 300),  # over the line limit below
)


def _outcome(item: Document | InputError) -> tuple[str, str | None, int | None]:
    if isinstance(item, InputError):
        return ("error", str(item), item.line)
    return ("document", item.id, None)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(_RECORD_LINES, max_size=30), size=st.integers(1, 7), bom=st.booleans())
def test_the_parts_of_a_jsonl_file_read_as_the_whole_file(
    tmp_path: Path, lines: list[str], size: int, bom: bool
) -> None:
    path = tmp_path / "archive.jsonl"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\n".join(lines).encode("utf-8"))
    whole = [_outcome(i) for i in ingest.read_input(path, max_chars=8)]
    parts = jsonl.jsonl_parts(path, lines=size, max_chars=8)
    if parts is None:  # one run, or nothing to share: the file is read whole
        return
    assert len(parts) > 1
    assert [p.first_line for p in parts] == sorted({p.first_line for p in parts})
    assert sum(p.end - p.start for p in parts) == path.stat().st_size
    in_parts = [_outcome(i) for p in parts for i in jsonl.read_jsonl_part(p, max_chars=8)]
    assert in_parts == whole


def test_a_file_with_no_records_is_not_cut_into_parts(tmp_path: Path) -> None:
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n\n  \n\n", encoding="utf-8")
    assert jsonl.jsonl_parts(blank, lines=1) is None
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b'{"text": "a"}\n\x00\n{"text": "b"}\n')
    assert jsonl.jsonl_parts(binary, lines=1) is None
    assert jsonl.jsonl_parts(tmp_path / "missing.jsonl", lines=1) is None
    marked = tmp_path / "marked.jsonl"  # a byte-order mark on blank lines holds no record either
    marked.write_bytes(b"\xef\xbb\xbf\n\n  \n")
    assert jsonl.jsonl_parts(marked, lines=1) is None


def test_list_inputs_names_what_read_inputs_reads(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("Shelling near Idlib.", encoding="utf-8")
    (tmp_path / "a" / "notes.md").write_text("not a report", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    listed = list(
        ingest.list_inputs([tmp_path / "a", tmp_path / "empty", tmp_path / "x.pdf", "nowhere"])
    )
    assert listed[0] == tmp_path / "a" / "one.txt"
    assert [str(e).split(": ", 1)[-1] for e in listed[1:]] == [
        "folder holds no .txt, .html, .htm, .jsonl files",
        "unsupported file type '.pdf'; expected .txt, .html, .htm, .jsonl",
        "no such file or folder",
    ]


def test_an_input_error_survives_pickling() -> None:
    # Workers on other processes or machines report bad inputs back.
    import pickle

    error = pickle.loads(pickle.dumps(InputError("bad JSON", source="a.jsonl", line=3)))
    assert (str(error), error.source, error.line, error.reason) == (
        "a.jsonl:3: bad JSON",
        "a.jsonl",
        3,
        "bad JSON",
    )
