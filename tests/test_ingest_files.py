from __future__ import annotations

import codecs
from pathlib import Path

from watchfloor.ingest.files import decode_bytes, iter_input_files


def touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_folders_yield_supported_files_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b.txt", "a.html", "sub/c.md", "sub/deep/d.jsonl", "A.HTM", "e.pdf", "f.yaml"]:
        touch(tmp_path / name)
    touch(tmp_path / ".hidden.txt")
    touch(tmp_path / ".git" / "x.txt")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files([tmp_path])]
    assert found == ["A.HTM", "a.html", "b.txt", "sub/c.md", "sub/deep/d.jsonl"]


def test_a_folder_s_readme_and_license_are_notes_not_articles(tmp_path: Path) -> None:
    for name in ["README.md", "sub/readme.txt", "LICENSE.txt", "readme-launch.md", "a.md"]:
        touch(tmp_path / name)
    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files([tmp_path])]
    assert found == ["a.md", "readme-launch.md"]
    # named explicitly, a README is ingested like any file
    assert list(iter_input_files([tmp_path / "README.md"])) == [tmp_path / "README.md"]


def test_explicit_paths_are_yielded_as_given_whatever_their_type(tmp_path: Path) -> None:
    pdf = touch(tmp_path / "report.pdf")
    missing = tmp_path / "gone.txt"
    folder = tmp_path / "dir"
    touch(folder / "z.txt")
    assert list(iter_input_files([pdf, missing, folder])) == [pdf, missing, folder / "z.txt"]


def test_utf8_with_and_without_bom_decodes() -> None:
    text = "Kim’s “test” in Seoul"
    assert decode_bytes(text.encode("utf-8")).text == text
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")).text == text


def test_utf16_with_bom_is_text_not_binary() -> None:
    decoded = decode_bytes("Envoys met in Seoul.".encode("utf-16"))
    assert decoded == decode_bytes(b"Envoys met in Seoul.")


def test_windows_1252_curly_quotes_decode() -> None:
    assert decode_bytes(b"\x93Talks\x94 resume").text == "“Talks” resume"


def test_html_declared_charset_is_used() -> None:
    page = '<html><head><meta charset="koi8-r"></head><body>Привет</body></html>'
    assert decode_bytes(page.encode("koi8-r"), html=True).text == page


def test_nul_bytes_mean_binary() -> None:
    decoded = decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert decoded.binary
    assert decoded.text is None


def test_bytes_that_decode_only_to_control_characters_are_not_text() -> None:
    decoded = decode_bytes(b"\x81\x8d\x8f\x90\x9d" * 20)
    assert not decoded.binary
    assert decoded.text is None
