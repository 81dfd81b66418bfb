"""Commune readiness in the plan-02 report: GREEN coverage, an infrastructure index, the four blocs.

Sources (plan-02 report of 22/9/2025): appendix 4 (communes GREEN/YELLOW/RED),
appendix 5 (sixteen readiness indicators, % of communes), appendices 9–12 (the ten
lowest provinces per criterion of each commune bloc) and appendix 21 (completion rate
of the four blocs per province).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

BLOCS = ("party", "council", "committee", "front")
BLOC_LABELS_VI = {
    "party": "Đảng ủy",
    "council": "Hội đồng nhân dân",
    "committee": "Ủy ban nhân dân",
    "front": "Mặt trận Tổ quốc",
}

# Appendix 5 prints sixteen columns; the parser numbers them c01..c16 left to right.
# Short Vietnamese labels for tables and plots (the full titles come with the data).
INDICATOR_SHORT_LABELS_VI = {
    "c01": "Phổ biến văn bản TTHC",
    "c02": "Công bố bộ TTHC",
    "c03": "Niêm yết quy trình TTHC",
    "c04": "Mạng thông suốt",
    "c05": "Máy lấy số tự động",
    "c06": "Màn hình số thứ tự",
    "c07": "Thiết bị số hóa giấy tờ",
    "c08": "Thiết bị tra cứu TTHC",
    "c09": "Đủ máy tính cho CBCC",
    "c10": "Đủ thiết bị khác",
    "c11": "Sử dụng lại dữ liệu số",
    "c12": "Thiết bị an toàn",
    "c13": "Chữ ký số mật",
    "c14": "Chữ ký số công vụ",
    "c15": "Đủ nhân sự hỗ trợ",
    "c16": "Họp trực tuyến TW–xã",
}

# A word each appendix-5 title must contain, so a change in the parser's numbering
# fails loudly instead of silently indexing the wrong columns.
_INDICATOR_TITLE_WORDS = {
    "c01": "phổ biến",
    "c02": "công bố",
    "c03": "niêm yết",
    "c04": "mạng",
    "c05": "lấy số",
    "c06": "màn hình",
    "c07": "giấy tờ",
    "c08": "tra cứu",
    "c09": "máy tính",
    "c10": "thiết bị khác",
    "c11": "sử dụng lại",
    "c12": "an toàn",
    "c13": "mật",
    "c14": "công vụ",
    "c15": "nhân sự",
    "c16": "họp trực tuyến",
}

# The infrastructure readiness index uses the indicators that measure what was
# installed or connected at the commune, i.e. what "hạ tầng và cơ sở vật chất được
# đầu tư" (body, section III.1) refers to:
#   c04 network          — connectivity
#   c05–c10, c12         — equipment (queue machines, screens, scanners, kiosks,
#                          computers, copiers, security devices)
#   c13, c14             — digital signatures issued (system readiness)
#   c16                  — online meeting system reaching the commune (system readiness)
# Left out: c01–c03 (publishing procedures: legal/administrative work, not
# infrastructure), c11 (re-using citizens' digitised data is a way of processing
# dossiers, close to the online uptake the index is compared with) and c15
# (staffing, not infrastructure).
DEFAULT_INDICATORS = ("c04", "c05", "c06", "c07", "c08", "c09", "c10", "c12", "c13", "c14", "c16")


def require_one_report_date(frame: pd.DataFrame, table: str) -> str | None:
    """The single report date of ``frame``; ValueError if it mixes dates (the caller must filter)."""
    if "report_date" not in frame.columns or frame.empty:
        return None
    dates = sorted(frame["report_date"].dropna().unique())
    if len(dates) > 1:
        raise ValueError(f"{table} holds several report dates ({', '.join(dates)}): filter it to one first")
    return dates[0] if dates else None


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).casefold()


# ---------------------------------------------------------------- appendix 4


@dataclass(frozen=True)
class CommuneCoverage:
    """GREEN/YELLOW/RED communes per province and in the country (appendix 4)."""

    by_province: pd.DataFrame
    communes: int
    green: int
    yellow: int
    red: int
    green_pct: float
    yellow_pct: float
    red_pct: float


def commune_coverage(commune_status: pd.DataFrame) -> CommuneCoverage:
    """Communes GREEN (XANH), YELLOW (VÀNG) and RED (ĐỎ) per province and nationally.

    Method: the counts are those printed in appendix 4; the shares are recomputed as
    count / communes × 100 (the printed GREEN share is kept as ``green_pct_printed``
    for comparison); the national shares are computed from the summed counts, not by
    averaging provincial shares. A GREEN commune meets all the basic conditions of
    the survey for running its public administration service centre.
    """
    require_one_report_date(commune_status, "commune_status")
    frame = commune_status[["province_code", "communes", "green", "yellow", "red", "reported", "green_pct"]].copy()
    frame = frame.rename(columns={"green_pct": "green_pct_printed"})
    for colour in ("green", "yellow", "red"):
        frame[f"{colour}_pct"] = frame[colour] / frame["communes"] * 100
    frame = frame[
        ["province_code", "communes", "reported", "green", "yellow", "red", "green_pct", "yellow_pct", "red_pct", "green_pct_printed"]
    ]
    frame = frame.sort_values("province_code", kind="stable").reset_index(drop=True)
    communes = int(frame["communes"].sum())
    sums = {c: int(frame[c].sum()) for c in ("green", "yellow", "red")}
    return CommuneCoverage(
        by_province=frame,
        communes=communes,
        green=sums["green"],
        yellow=sums["yellow"],
        red=sums["red"],
        green_pct=sums["green"] / communes * 100 if communes else float("nan"),
        yellow_pct=sums["yellow"] / communes * 100 if communes else float("nan"),
        red_pct=sums["red"] / communes * 100 if communes else float("nan"),
    )


def provinces_green_above(coverage: CommuneCoverage, threshold_pct: float, inclusive: bool = False) -> int:
    """Number of provinces whose GREEN share is above ``threshold_pct`` (≥ if ``inclusive``).

    The report's body counts provinces "phủ XANH hơn 50%/70%" (strictly above) and
    "phủ XANH 100%" (use threshold 100, inclusive).
    """
    pct = coverage.by_province["green_pct"].round(10)
    return int((pct >= threshold_pct).sum() if inclusive else (pct > threshold_pct).sum())


# ---------------------------------------------------------------- appendix 5


def indicators_wide(commune_readiness: pd.DataFrame, indicators: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Appendix 5 as a province × indicator table of % of communes (index province_code, columns c01..c16)."""
    require_one_report_date(commune_readiness, "commune_readiness")
    wide = commune_readiness.pivot(index="province_code", columns="indicator_id", values="pct").sort_index()
    wide.columns.name = None
    if indicators is not None:
        missing = [i for i in indicators if i not in wide.columns]
        if missing:
            raise ValueError(f"commune_readiness has no indicator {', '.join(missing)}")
        wide = wide[list(indicators)]
    if wide.isna().any().any():
        gaps = wide.isna().stack()
        codes = sorted({code for (code, _), gap in gaps.items() if gap})
        raise ValueError(f"commune_readiness lacks some indicators for provinces {codes}")
    return wide


def check_indicator_titles(commune_readiness: pd.DataFrame) -> None:
    """ValueError unless each indicator id carries the appendix-5 title this module assumes."""
    titles = commune_readiness.drop_duplicates("indicator_id").set_index("indicator_id")["indicator"]
    for indicator_id, title in titles.items():
        word = _INDICATOR_TITLE_WORDS.get(indicator_id)
        if word is None:
            raise ValueError(f"unknown indicator id {indicator_id!r} in commune_readiness")
        if _fold(word) not in _fold(str(title)):
            raise ValueError(f"indicator {indicator_id} is titled {title!r}; expected a title with {word!r}")


def _weights(indicators: tuple[str, ...], weights: dict[str, float] | None) -> dict[str, float]:
    if weights is None:
        return {i: 1.0 / len(indicators) for i in indicators}
    if set(weights) != set(indicators):
        raise ValueError("weights must name exactly the indicators of the index")
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise ValueError("weights must be non-negative and not all zero")
    total = sum(weights.values())
    return {i: weights[i] / total for i in indicators}


def infrastructure_readiness_index(
    commune_readiness: pd.DataFrame,
    indicators: tuple[str, ...] = DEFAULT_INDICATORS,
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Infrastructure readiness index per province, 0–100 (appendix 5).

    Method: the weighted mean of the chosen appendix-5 indicators, each the % of the
    province's communes that meet it. By default the eleven indicators of network,
    equipment, digital signatures and the online meeting system (``DEFAULT_INDICATORS``)
    with equal weights; weights are normalised to sum to 1. 100 means every commune
    reports every item in place. A province missing one of the indicators is an error,
    not a shorter average. Returns ``province_code``, ``readiness_index``, sorted by code.
    """
    check_indicator_titles(commune_readiness)
    _weights(tuple(indicators), weights)  # validates
    raw = {i: 1.0 for i in indicators} if weights is None else {i: float(weights[i]) for i in indicators}
    wide = indicators_wide(commune_readiness, tuple(indicators))
    # weighted sum divided by the total weight (a province at 100 everywhere gets exactly 100)
    index = sum(wide[i] * raw[i] for i in indicators) / sum(raw.values())
    out = pd.DataFrame({"province_code": wide.index.astype("int64"), "readiness_index": index.to_numpy(dtype=float)})
    return out.sort_values("province_code", kind="stable").reset_index(drop=True)


def readiness_table(
    commune_status: pd.DataFrame,
    commune_readiness: pd.DataFrame,
    indicators: tuple[str, ...] = DEFAULT_INDICATORS,
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """``province_code``, ``readiness_index`` (appendix 5) and ``green_pct`` (appendix 4): the readiness input of
    ``ready_but_low.flag_ready_but_low``. Both appendices must cover the same provinces."""
    index = infrastructure_readiness_index(commune_readiness, indicators, weights)
    green = commune_coverage(commune_status).by_province[["province_code", "green_pct"]]
    out = index.merge(green, on="province_code", how="inner", validate="one_to_one")
    if len(out) != len(index) or len(out) != len(green):
        raise ValueError("appendices 4 and 5 cover different provinces")
    return out


def describe_index(indicators: tuple[str, ...] = DEFAULT_INDICATORS, weights: dict[str, float] | None = None) -> str:
    """The index's method in Vietnamese, for the briefing: which indicators, which weights."""
    w = _weights(tuple(indicators), weights)
    items = "; ".join(f"{INDICATOR_SHORT_LABELS_VI[i]} ({i}, trọng số {w[i] * 100:.1f}%)".replace(".", ",") for i in indicators)
    equal = weights is None or len({round(v, 12) for v in w.values()}) == 1
    how = "bình quân không trọng số" if equal else "bình quân có trọng số"
    return (
        f"Chỉ số sẵn sàng hạ tầng (0–100) của mỗi tỉnh là {how} của {len(indicators)} chỉ tiêu trong Phụ lục 5 "
        f"(tỷ lệ % xã, phường đạt chỉ tiêu) về mạng, trang thiết bị, chữ ký số và hệ thống họp trực tuyến: {items}. "
        "Không tính các chỉ tiêu về công bố, niêm yết thủ tục hành chính, sử dụng lại dữ liệu đã số hóa và nhân sự hỗ trợ, "
        "vì đó không phải là hạ tầng. 100 nghĩa là mọi xã, phường của tỉnh đều báo cáo đã đạt mọi chỉ tiêu."
    )


# ---------------------------------------------------------------- appendices 9–12 and 21


def bloc_completion_wide(bloc_completion: pd.DataFrame) -> pd.DataFrame:
    """Appendix 21 as province × bloc: completion rate (%) of the four blocs and their unweighted mean.

    Columns ``province_code``, ``party``, ``council``, ``committee``, ``front``, ``mean``;
    sorted by province code. The mean gives each bloc the same weight.
    """
    require_one_report_date(bloc_completion, "bloc_completion")
    wide = bloc_completion.pivot(index="province_code", columns="bloc", values="pct")
    missing = [b for b in BLOCS if b not in wide.columns]
    if missing:
        raise ValueError(f"bloc_completion has no bloc {', '.join(missing)}")
    wide = wide[list(BLOCS)].sort_index()
    if wide.isna().any().any():
        raise ValueError("bloc_completion lacks a bloc for some province")
    wide["mean"] = wide[list(BLOCS)].mean(axis=1)
    wide.columns.name = None
    out = wide.reset_index()
    out["province_code"] = out["province_code"].astype("int64")
    return out


def ten_lowest_counts(bloc_criteria: pd.DataFrame) -> pd.DataFrame:
    """How often each province is among the lowest provinces of a criterion (appendices 9–12).

    Method: each criterion of the four commune blocs lists up to ten provinces below
    50% (fewer where fewer are below); count the (appendix, criterion) listings per
    province, in all and per bloc. Columns ``province_code``, ``total``, ``party``,
    ``council``, ``committee``, ``front``, ``criteria`` (criteria with at least one
    listed province, the same on every row; a criterion printed as "Tất cả các
    tỉnh/thành phố" lists no names and adds nothing);
    only provinces listed at least once, sorted by ``total`` descending then code.
    """
    require_one_report_date(bloc_criteria, "bloc_criteria")
    listings = bloc_criteria.drop_duplicates(["appendix", "criterion_id", "province_code"])
    counts = listings.groupby(["province_code", "bloc"]).size().unstack("bloc", fill_value=0)
    for bloc in BLOCS:
        if bloc not in counts.columns:
            counts[bloc] = 0
    counts = counts[list(BLOCS)].astype("int64")
    counts.insert(0, "total", counts.sum(axis=1))
    counts.columns.name = None
    out = counts.reset_index()
    out["province_code"] = out["province_code"].astype("int64")
    out["criteria"] = int(listings.drop_duplicates(["appendix", "criterion_id"]).shape[0])
    return out.sort_values(["total", "province_code"], ascending=[False, True], kind="stable").reset_index(drop=True)
