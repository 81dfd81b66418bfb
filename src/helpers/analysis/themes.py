"""Themes of the obstacles reported by provinces and communes, by an ordered keyword rule.

Sources: the ``obstacles`` table — plan-02 appendix 6 (main obstacles of the day per
province, with the communes reporting each), appendices 13–20 (obstacles and
proposals of the four commune blocs), 22–25 (the four blocs at province level), and
the daily reports.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from helpers.analysis.communes import require_one_report_date

# Clause-level guard: the keyword is about citizens, not officials, when "người dân"
# or "công dân" follows in the same clause.
_NOT_ABOUT_CITIZENS = r"(?![^.;:\n]*(?:người dân|công dân))"

# The rule, in order. Each theme lists Vietnamese keywords (regular expressions)
# matched as whole words on the text folded by ``fold_text`` (Unicode NFC, lower
# case, tone marks placed the new way: "hoá" and "hóa" match alike), so diacritics
# count: "mạng" (network) is not "mang" (carry). A text gets every theme one of
# whose keywords it contains; a text that states no obstacle ("không có vướng mắc",
# "không có phản hồi": no answer is not an obstacle either) is "none", exclusively; a
# text with no theme is "other". ``WEAK_KEYWORDS`` below are keywords that only count
# when the text is not about another theme (measured in ``theme_evaluation``).
OBSTACLE_THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("none", (r"không (?:có )?vướng mắc", r"không có khó khăn", r"không (?:có )?phản hồi")),
    (
        "software",
        (
            r"phần mềm", r"liên thông", r"tích hợp",
            r"cơ sở dữ liệu", r"csdl", r"dữ liệu", r"dịch vụ công", r"một cửa điện tử", r"hộ tịch",
            r"nền tảng", r"chữ ký số", r"cks", r"chứng thư số", r"phân quyền", r"tài khoản",
            r"quá tải", r"văn phòng điện tử", r"dvc",
            r"(?<!thiết bị )số hóa",  # digitising records; "thiết bị số hóa" is equipment
        ),
    ),
    (
        "equipment",
        (
            r"thiết bị", r"trang thiết bị", r"máy tính", r"máy scan", r"máy quét", r"máy in", r"máy phô ?tô",
            r"máy móc", r"máy chủ", r"máy lấy số", r"màn hình", r"kiosk", r"cơ sở vật chất", r"hạ tầng",
            r"trụ sở",
        ),
    ),
    (
        "staffing",
        (
            r"cán bộ", r"công chức", r"nhân lực", r"nhân sự", r"chuyên trách", r"chuyên môn",
            r"kỹ năng" + _NOT_ABOUT_CITIZENS, r"trình độ(?! dân trí)" + _NOT_ABOUT_CITIZENS,
            r"tập huấn", r"đào tạo", r"bồi dưỡng",
        ),
    ),
    (
        "connectivity",
        (r"đường truyền", r"mạng", r"internet", r"wifi", r"wi-fi", r"băng thông", r"cáp quang", r"sóng"),
    ),
    (
        "citizens",
        (
            r"người dân", r"công dân", r"dân trí", r"mức (?:độ )?2",
            r"người cao tuổi", r"lớn tuổi", r"yếu thế", r"thói quen",
        ),
    ),
    (
        "legal",
        (
            # "(hệ thống) giải quyết / tra cứu TTHC" names a system or a device, not a procedure
            r"(?<!giải quyết )(?<!tra cứu )(?:thủ tục|tthc)", r"quy trình", r"văn bản", r"hướng dẫn", r"pháp lý", r"quy định", r"quy chế",
            r"thẩm quyền", r"cơ chế", r"mẫu biểu", r"biểu mẫu", r"phân cấp", r"nghị định", r"thông tư",
        ),
    ),
    ("funding", (r"kinh phí", r"ngân sách", r"nguồn vốn", r"vốn đầu tư", r"(?<!bộ )tài chính")),  # not "Bộ Tài chính"
)

# theme -> (keywords, themes that override them). A weak keyword gives its theme only
# when the text has none of the overriding themes: "đồng bộ", "hệ thống", "lỗi" of
# infrastructure or machines are equipment ("Hạ tầng CNTT chưa đồng bộ", "Hệ thống cơ
# sở vật chất", "Máy móc hư hỏng, lỗi"), "ứng dụng CNTT" of officials is a skill, and
# "kỹ năng số" of officials or a slow VNeID are staffing and software, not citizens.
WEAK_KEYWORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "software": (
        (r"lỗi", r"đồng bộ", r"ứng dụng", r"hệ thống(?! (?:đường truyền|mạng|hạ tầng))"),  # "hệ thống đường truyền" is connectivity
        ("equipment", "staffing"),
    ),
    "citizens": ((r"kỹ năng số", r"định danh điện tử", r"vneid"), ("staffing", "software")),
}

THEME_ORDER = tuple(theme for theme, _ in OBSTACLE_THEMES) + ("other",)

DEFAULT_SOURCES = ("Phụ lục 6", "Phụ lục 17", "Phụ lục 24")

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_OLD_TONE_RE = re.compile(rf"([ou])([aey])([{_TONES}])")


def fold_text(text: str) -> str:
    """Lower case, NFC, single spaces, tone marks on the first vowel of oa/oe/uy ("hoá" -> "hóa")."""
    text = unicodedata.normalize("NFD", text.casefold())
    text = _OLD_TONE_RE.sub(r"\1\3\2", text)
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text).strip()


def _compile(pattern: str) -> re.Pattern[str]:
    """A keyword as a whole-word regex; its letters folded like the texts (patterns are lower case)."""
    folded = unicodedata.normalize("NFC", _OLD_TONE_RE.sub(r"\1\3\2", unicodedata.normalize("NFD", pattern)))
    return re.compile(r"(?<!\w)(?:" + folded + r")(?!\w)")


_COMPILED = tuple((theme, tuple(_compile(p) for p in patterns)) for theme, patterns in OBSTACLE_THEMES)
_COMPILED_WEAK = {theme: (tuple(_compile(p) for p in patterns), overrides) for theme, (patterns, overrides) in WEAK_KEYWORDS.items()}


def themes_of(text: str) -> tuple[str, ...]:
    """The themes of one text, in rule order (``('other',)`` when no keyword matches)."""
    folded = fold_text(text or "")
    strong = set()
    for theme, patterns in _COMPILED:
        if any(p.search(folded) for p in patterns):
            if theme == "none":
                return ("none",)
            strong.add(theme)
    weak = {theme for theme, (patterns, _) in _COMPILED_WEAK.items() if theme not in strong and any(p.search(folded) for p in patterns)}
    present = strong | weak
    found = strong | {theme for theme in weak if not present & set(_COMPILED_WEAK[theme][1])}
    return tuple(t for t, _ in OBSTACLE_THEMES if t in found) or ("other",)


def _select(obstacles: pd.DataFrame, province_code, kinds, sources) -> pd.DataFrame:
    rows = obstacles
    if province_code is not None:
        rows = rows[rows["province_code"] == province_code]
    if kinds is not None:
        rows = rows[rows["kind"].isin(kinds)]
    if sources is not None:
        rows = rows[rows["source"].isin(sources)]
    require_one_report_date(rows, "obstacles")
    return rows


def theme_counts(
    obstacles: pd.DataFrame,
    province_code: int | None = None,
    kinds: tuple[str, ...] | None = ("obstacle",),
    sources: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """How many obstacle texts fall under each theme (one province or all).

    Method: each text gets its themes from ``OBSTACLE_THEMES``; a text with several
    themes counts once under each, so the counts add up to more than the texts.
    ``share_pct`` = texts with the theme / all texts × 100; ``communes_affected`` sums
    the communes reporting the texts where the report states them (appendices 6 and
    13–20). Every theme is listed, sorted by texts descending then rule order.
    """
    rows = _select(obstacles, province_code, kinds, sources)
    texts = dict.fromkeys(THEME_ORDER, 0)
    communes = dict.fromkeys(THEME_ORDER, 0)
    for text, affected in zip(rows["text"], rows["communes_affected"]):
        for theme in themes_of(text):
            texts[theme] += 1
            if pd.notna(affected):
                communes[theme] += int(affected)
    out = pd.DataFrame(
        {
            "theme": list(THEME_ORDER),
            "texts": [texts[t] for t in THEME_ORDER],
            "communes_affected": [communes[t] for t in THEME_ORDER],
        }
    )
    n_obstacles = len(rows) - texts["none"]
    out["share_pct"] = out["texts"] / n_obstacles * 100 if n_obstacles else float("nan")
    out.loc[out["theme"] == "none", "share_pct"] = float("nan")
    out["_order"] = range(len(out))
    out = out.sort_values(["texts", "_order"], ascending=[False, True], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


def obstacle_themes_for(
    obstacles: pd.DataFrame,
    province_code: int,
    sources: tuple[str, ...] = DEFAULT_SOURCES,
) -> pd.DataFrame:
    """One province's obstacle and proposal texts from the given appendices, each with its themes.

    Default sources: appendix 6 (communes, the day's main obstacles), 17 (commune
    people's committees) and 24 (the provincial people's committee) — the parts that
    bear on administrative procedures. ``affected_pct`` = communes reporting the text /
    communes in the province × 100 where the report states them. Rows keep the order
    of ``sources`` and, within a source, the report's order.
    """
    rows = _select(obstacles, province_code, None, tuple(sources))
    rows = rows.assign(_order=rows["source"].map({s: i for i, s in enumerate(sources)}))
    rows = rows.sort_values("_order", kind="stable").drop(columns="_order")
    out = rows[["source", "bloc", "kind", "text", "communes_affected", "communes_total"]].copy()
    out["affected_pct"] = (out["communes_affected"] / out["communes_total"].where(out["communes_total"] > 0) * 100).astype(
        "Float64"
    ).astype(float)
    out["themes"] = [", ".join(themes_of(t)) for t in out["text"]]
    return out.reset_index(drop=True)
