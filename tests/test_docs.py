"""Every section a file cites in the documentation exists.

Two forms are cited: a link with an anchor (`docs/design.md#verdict-rules`, `README.md#layout`,
`design.md#numerics` from inside docs/), and a section name in quotes
(`docs/design.md "Control strength"`, `README "Layout"`), the form code docstrings use. An
anchor must be the GitHub anchor of a heading of that file (lowercase, punctuation but - and _
dropped, spaces to -, a -1, -2 ... suffix for repeated headings). A quoted name must be the
text of a heading of that file, or that text without a closing remark in parentheses. The
checkers take the repository root, so that a test can run them on a made-up tree and see them
fail.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# where citations are looked for
SOURCES = ("depthcore/**/*.py", "bench/**/*.py", "tests/**/*.py", "docs/*.md", "README.md", "conftest.py", ".ci/*",
           ".github/workflows/*")
# `docs/design.md "Name"` in design.md itself says how sections are cited; it cites none
PLACEHOLDERS = {"Name"}
SELF = Path(__file__).resolve()  # this file's examples cite made-up sections on purpose

LINK = re.compile(r"((?:\.\./)?(?:[\w.-]+/)*[\w.-]+\.md)#([\w-]+)")
QUOTED = re.compile(r"((?:\.\./)?(?:[\w.-]+/)*[\w.-]+\.md|\bREADME),? \"([^\"\n]+)\"((?:, \"[^\"\n]+\")*)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")


def github_anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lowercase, drop punctuation but - and _, spaces to -."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def headings(path: Path) -> list[str]:
    """The headings of a markdown file (not inside fenced code blocks), inline markup removed."""
    out, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        m = None if fenced else HEADING.match(line)
        if m:
            out.append(re.sub(r"[`*]", "", m.group(1)))
    return out


def anchors(path: Path) -> set[str]:
    """Every anchor GitHub gives the headings of a markdown file, repeats numbered -1, -2, ..."""
    seen: dict[str, int] = {}
    out = set()
    for h in headings(path):
        a = github_anchor(h)
        n = seen.get(a, 0)
        out.add(a if n == 0 else f"{a}-{n}")
        seen[a] = n + 1
    return out


def source_files(root: Path) -> list[Path]:
    files = {p for pattern in SOURCES for p in root.glob(pattern) if p.is_file()}
    return sorted(p for p in files if ".venv" not in p.parts and "__pycache__" not in p.parts and p.resolve() != SELF)


def resolve(root: Path, citing: Path, target: str) -> Path | None:
    """The cited markdown file: relative to the citing file (links inside docs/), else to the root."""
    if target == "README":
        target = "README.md"
    for base in (citing.parent, root):
        p = (base / target).resolve()
        if p.is_file() and p.is_relative_to(root):
            return p
    return None


def flat_text(path: Path) -> str:
    """The file's text with line breaks, comment markers and indentation folded into single spaces,
    so that a citation wrapped over two comment or docstring lines reads as one."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix != ".md":
        text = re.sub(r"\n\s*#+ ?", "\n", text)
    return re.sub(r"\s+", " ", text)


def where(root: Path, path: Path) -> str:
    return str(path.relative_to(root))


def broken_links(root: Path) -> list[str]:
    """`file.md#anchor` citations whose file or heading does not exist."""
    bad = []
    for f in source_files(root):
        for m in LINK.finditer(f.read_text(encoding="utf-8", errors="replace")):
            target, anchor = m.groups()
            doc = resolve(root, f, target)
            if doc is None:
                bad.append(f"{where(root, f)}: {target}#{anchor}: no such file")
            elif anchor not in anchors(doc):
                bad.append(f"{where(root, f)}: {target}#{anchor}: no such heading in {where(root, doc)}")
    return bad


def broken_names(root: Path) -> list[str]:
    """`file.md "Section"` citations whose file or heading does not exist."""
    bad = []
    for f in source_files(root):
        for m in QUOTED.finditer(flat_text(f)):
            target, first, more = m.groups()
            names = [first] + re.findall(r"\"([^\"]+)\"", more or "")
            doc = resolve(root, f, target)
            if doc is None:
                bad.append(f"{where(root, f)}: {target}: no such file")
                continue
            known = {n for h in headings(doc) for n in (h, re.sub(r" \([^()]*\)$", "", h))}
            bad += [f"{where(root, f)}: {target} \"{n}\": no such heading in {where(root, doc)}"
                    for n in names if n not in known and n not in PLACEHOLDERS]
    return bad


def test_github_anchor_rule():
    assert github_anchor("Verdict rules") == "verdict-rules"
    assert github_anchor("depthcore — design") == "depthcore--design"
    assert github_anchor("Statistics: how often an interval decides when it should not") == \
        "statistics-how-often-an-interval-decides-when-it-should-not"
    assert github_anchor("Per-seed scalars (paired held-out loss differences, per-seed ρ)") == \
        "per-seed-scalars-paired-held-out-loss-differences-per-seed-ρ"
    assert github_anchor("One depthcore run on SmolLM2") == "one-depthcore-run-on-smollm2"


def test_every_cited_anchor_is_a_heading():
    assert broken_links(ROOT) == []


def test_every_cited_section_name_is_a_heading():
    assert broken_names(ROOT) == []


def test_the_checkers_flag_made_up_sections(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "design.md").write_text("# Design\n\n## Verdict rules\n\n```\n## Not a heading\n```\n")
    (tmp_path / "README.md").write_text("# Tool\n\n## Layout\n\nSee [rules](docs/design.md#verdict-rules).\n")
    (tmp_path / "docs" / "other.md").write_text("[ok](design.md#verdict-rules), [up](../README.md#layout)\n")
    (tmp_path / "depthcore").mkdir()
    code = tmp_path / "depthcore" / "mod.py"
    code.write_text('"""See docs/design.md "Verdict rules" and README "Layout"."""\n'
                    '# (docs/design.md "Verdict\n# rules")\n')
    assert broken_links(tmp_path) == [] and broken_names(tmp_path) == []

    code.write_text('"""docs/design.md#null-profile, docs/design.md#not-a-heading, docs/nope.md#x,\n'
                    'docs/design.md "Null profile", "Verdict rules", README "Reliability"."""\n')
    assert broken_links(tmp_path) == [
        "depthcore/mod.py: docs/design.md#null-profile: no such heading in docs/design.md",
        "depthcore/mod.py: docs/design.md#not-a-heading: no such heading in docs/design.md",
        "depthcore/mod.py: docs/nope.md#x: no such file",
    ]
    assert broken_names(tmp_path) == [
        'depthcore/mod.py: docs/design.md "Null profile": no such heading in docs/design.md',
        'depthcore/mod.py: README "Reliability": no such heading in README.md',
    ]


def test_repeated_headings_get_numbered_anchors(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text("# A\n\n## Notes\n\n## Notes\n\n## `code` and *emphasis*\n")
    assert anchors(doc) == {"a", "notes", "notes-1", "code-and-emphasis"}
