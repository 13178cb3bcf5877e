"""The anatomy of a news article: which paragraphs are story and which are not.

:func:`read_layout` splits an article's text into paragraphs and sorts them
into the lead, the body, and the furniture around the story that must never
count as body text for ranking: date lines, photo captions, image
placeholders, credit lines (``(Web editor: ...)``, bylines) and sign-offs
(``PSNews``, ``— VNS``). It also reads the dateline (``BEIJING, Sept. 13
(Xinhua) --``) and collects the outlet markers that :mod:`index.sources` turns
into a source.

The function is pure: the same title and text always give the same layout,
so the stored text alone is enough to rebuild the zones later (snippets,
export).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .published import read_date_line

__all__ = ["Layout", "read_layout", "paragraphs"]

_PARA_SPLIT = regex.compile(r"\n[ \t\u00a0]*\n+")
_SPACES = regex.compile(r"\s+")

# "(Xinhua/Li Tao)", "(VNA/Phạm Kiên)", "(Photo: Reuters)" at the end of a caption.
_PHOTO_CREDIT = regex.compile(
    r"\(\s*(?:(?P<agency>[\p{L}][\p{L} .&'’-]{1,30})\s*/\s*(?P<who>[^()/]{2,60})"
    r"|(?:Photo|Ảnh|File photo)\s*:\s*(?P<who2>[^()]{2,60}))\s*\)\s*$",
    regex.IGNORECASE,
)
_CAPTION_START = regex.compile(r"^(?:Photo|Ảnh|File photo|Pictured|Ảnh minh họa)\s*[:.\-–—]\s*\S", regex.IGNORECASE)
# A paragraph of credit clauses: "(Web editor: Zhang Kaiwei, Liang Jun)",
# "Reporting by Jane Smith; Editing by John Doe", "Ảnh: Nguyễn Văn A".
_CREDIT_CLAUSE = regex.compile(
    r"^(?P<label>Web editor|Editors?|Edited by|Reporting by|Writing by|Editing by|"
    r"Additional reporting by|Compiled by|Translated by|Photos? by|Videos? by|"
    r"Graphics? by|Infographics?|Biên tập|Nhóm phóng viên|Nhóm PV|Phóng viên|PV|Bài và ảnh|"
    r"Bài,? ảnh|Bài|Đồ họa|Đồ hoạ|Thực hiện|Photo|Photos|Ảnh)"
    r"\s*:?\s+(?P<names>.{2,200}?)(?:\s+(?:thực hiện|\(thực hiện\)))?\.?$",
    regex.IGNORECASE,
)
# A credited name: one to five words, each capitalised.
_NAME = regex.compile(r"^\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,4}$")
_BYLINE = regex.compile(r"^By\s+(?P<names>\p{Lu}[\p{L}.'’-]+(?:\s+(?:and\s+)?\p{Lu}[\p{L}.'’-]+){0,5})$")
_NAME_SEPARATORS = regex.compile(r"\s*(?:,|;|\band\b|\bvà\b|\s[-–]\s)\s*")
_ROLES = {
    "web editor": "web editor", "editor": "editor", "editors": "editor",
    "edited by": "editor", "editing by": "editor", "biên tập": "editor",
    "reporting by": "reporter", "writing by": "reporter", "phóng viên": "reporter",
    "additional reporting by": "reporter", "compiled by": "reporter",
    "translated by": "translator", "photo": "photo", "photos": "photo", "ảnh": "photo",
    "photo by": "photo", "photos by": "photo", "video by": "video", "videos by": "video",
    "graphic by": "graphics", "graphics by": "graphics",
    "infographic": "graphics", "infographics": "graphics", "đồ họa": "graphics", "đồ hoạ": "graphics",
    "nhóm phóng viên": "reporter", "nhóm pv": "reporter", "pv": "reporter", "bài": "reporter",
    "bài và ảnh": "reporter", "bài, ảnh": "reporter", "bài ảnh": "reporter", "thực hiện": "reporter",
}
# "BEIJING, Sept. 13 (Xinhua) --", "HANOI -", "HÀ NỘI —": an upper-case place,
# an optional short date, an optional agency, then a dash.
_DATELINE = regex.compile(
    r"^(?P<place>\p{Lu}[\p{Lu}\p{M} .'’-]*\p{Lu})"
    r"(?:\s*,\s*(?P<when>[^()\n]{1,25}?))?"
    r"(?:\s*\((?P<agency>[^()\n]{2,40})\))?"
    r"\s*(?:--|—|–|-|:)\s+"
)
# A sign-off glued to the last paragraph: "... Hebei Province. — VNS".
_SIGNOFF_SUFFIX = regex.compile(r"\s+[—–-]{1,2}\s*(?P<mark>\p{Lu}[\p{L}&]{1,15})\s*$")
_NUMBERED = regex.compile(r"\s*-\s*\d+$")
_SENTENCE_PUNCT = regex.compile(r"[.!?:;,\"“”]")
_WORDS = regex.compile(r"[\p{L}\p{N}]+")


def paragraphs(text: str) -> list[str]:
    """Split text into non-empty paragraphs on blank lines."""
    return [p.strip() for p in _PARA_SPLIT.split(text) if p.strip()]


@dataclass
class Layout:
    lead: str = ""
    body: list[str] = field(default_factory=list)
    dateline: str | None = None
    date_lines: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    # Outlet names as the text writes them: agencies, sign-offs, credit labels.
    markers: list[str] = field(default_factory=list)
    credit_labels: list[str] = field(default_factory=list)
    # The closing outlet mark or author line ("PSNews", "— VNS"), if any.
    signoff: str | None = None
    # Story paragraphs and captions (photo credits cut off), in reading order:
    # the text where the people of the story are named.
    segments: list[str] = field(default_factory=list)

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.body)

    @property
    def story(self) -> list[str]:
        """Lead and body paragraphs, the text that ranks."""
        return ([self.lead] if self.lead else []) + self.body


def _norm(s: str) -> str:
    return _SPACES.sub(" ", s).strip().casefold()


def _names(names: str, role: str) -> list[str]:
    return [f"{n.strip(' .')} ({role})" for n in _NAME_SEPARATORS.split(names) if n.strip(" .")]


def _credit_line(para: str) -> list[tuple[str, str]] | None:
    """The (label, names) clauses of a credit paragraph, or None if it is not one."""
    if len(para) > 240 or "\n" in para:
        return None
    clauses = []
    for clause in para.strip().strip("()").split(";"):
        match = _CREDIT_CLAUSE.match(clause.strip())
        if not match:
            return None
        names = [n.strip(" .") for n in _NAME_SEPARATORS.split(match.group("names")) if n.strip(" .")]
        if not names or not all(_NAME.match(n) for n in names):
            return None
        clauses.append((match.group("label"), match.group("names")))
    return clauses


def _is_image_marker(para: str, title: str | None) -> bool:
    """A paragraph that repeats the headline, optionally numbered ("<title> -0"),
    is an image placeholder: the text an image left behind."""
    if not title:
        return False
    stripped = _NUMBERED.sub("", para)
    return stripped != para and _norm(stripped) == _norm(title)


def _is_short_label(para: str, max_words: int = 3) -> bool:
    """A short line of capitalised words without sentence punctuation: a
    sign-off ("PSNews", "— VNS") or an author's name ("Minh Anh")."""
    words = _WORDS.findall(para)
    return (0 < len(words) <= max_words and not _SENTENCE_PUNCT.search(para)
            and all(w[0].isupper() for w in words))


def read_layout(title: str | None, text: str) -> Layout:
    """Sort the paragraphs of ``text`` into story and furniture."""
    layout = Layout()
    paras = paragraphs(text)
    story: list[str] = []
    # Reading order of story paragraphs (by index) and captions (by text),
    # for the places where people are named.
    order: list[int | str] = []
    after_image = False
    last = len(paras) - 1
    for i, para in enumerate(paras):
        first, _, rest = para.partition("\n")
        if _is_image_marker(first, title):
            # The caption follows the placeholder, on its next line or paragraph.
            if rest.strip():
                layout.captions.append(rest.strip())
                order.append(rest.strip())
            else:
                after_image = True
            continue
        if after_image and "\n" not in para and len(_WORDS.findall(para)) <= 40:
            layout.captions.append(para)
            order.append(para)
            after_image = False
            continue
        after_image = False

        credits = _credit_line(para)
        if credits is not None:
            for label, names in credits:
                layout.credit_labels.append(label)
                layout.credits.extend(_names(names, _ROLES[label.casefold()]))
            continue
        byline = _BYLINE.match(para)
        if byline and (i <= 1 or i == last):
            layout.credits.extend(_names(byline.group("names"), "byline"))
            continue
        photo = _PHOTO_CREDIT.search(para)
        if photo or _CAPTION_START.match(para):
            layout.captions.append(para)
            order.append(para[: photo.start()].rstrip() if photo else para)
            if photo:
                who = photo.group("who") or photo.group("who2")
                layout.credits.extend(_names(who, "photo"))
                if photo.group("agency"):
                    layout.markers.append(photo.group("agency").strip())
            continue
        date_line = read_date_line(para)
        if date_line is not None:
            layout.date_lines.append(para)
            if date_line.byline:
                layout.credits.extend(_names(date_line.byline, "byline"))
                layout.markers.append(date_line.byline)  # "By Reuters"
            layout.markers.extend(w for w in date_line.residue if w[:1].isupper())
            continue
        if i == last and story and _is_short_label(para):
            # A closing one-to-three-word line: an outlet sign-off ("PSNews")
            # or an author's name; ingest tells them apart with the sources.
            layout.signoff = para.strip(" .—–-")
            continue
        order.append(len(story))
        story.append(para)

    if story:
        suffix = _SIGNOFF_SUFFIX.search(story[-1])
        if suffix and len(story[-1]) > len(suffix.group(0)) + 20:
            layout.signoff = suffix.group("mark")
            story[-1] = story[-1][: suffix.start()].rstrip()
        dateline = _DATELINE.match(story[0])
        if dateline:
            layout.dateline = dateline.group("place").strip()
            if dateline.group("agency"):
                layout.markers.append(dateline.group("agency").strip())
        layout.lead, layout.body = story[0], story[1:]
    layout.segments = [story[o] if isinstance(o, int) else o for o in order]
    layout.credits = list(dict.fromkeys(layout.credits))
    layout.markers = list(dict.fromkeys(layout.markers))
    return layout
