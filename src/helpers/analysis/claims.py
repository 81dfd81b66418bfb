"""The claims ledger: each number a report's body states, re-derived from the tables.

Every row of the ``claims`` table (see :mod:`helpers.ingest.parsers.claims`) is given to
the derivers below in turn; the first that recognises what the sentence speaks about
(from its words, the report kind and the appendix it cites) computes the same quantity
from the validated tables. The outcome is

* ``confirmed``     the tables give the stated value (within the rounding of the print);
* ``contradicted``  they give another value (both are shown);
* ``unverifiable``  no table holds what the claim speaks about (or its heading was lost).

A claim is never compared with itself: the derivations read the appendices and the
per-province tables, not ``report_figures`` or the claim's own row.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from helpers.ingest.parsers.claims import fold_keep_positions as _fold_same_length
from helpers.ingest.parsers.claims import provinces_named

STATUSES = ("confirmed", "contradicted", "unverifiable")
PROVINCES = 34


def fold(text: str) -> str:
    return _fold_same_length(text or "")


@dataclass
class Derived:
    value: object  # a number, or a sorted list of province codes
    how: str  # which table and rule (English, for analysts)
    status: str | None = None  # set when the rule decides itself (sets, rounding)


def _num(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def _codes(cell) -> list[int]:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)) or cell == "":
        return []
    return sorted(int(c) for c in str(cell).split(";"))


def _decimals(stated: str) -> int:
    m = re.search(r"\d+,(\d+)\s*%", stated)
    return len(m.group(1)) if m else 0


def _close(stated_value: float, derived: float, stated_text: str, approximate: bool = False) -> bool:
    """Equal within the rounding of the printed number (half its last decimal; 'khoảng' adds 0.5)."""
    tolerance = 0.5 * 10 ** -_decimals(stated_text) + 1e-9
    if approximate:
        tolerance += 0.5
    return abs(stated_value - derived) <= tolerance


# ---- daily readiness reports -----------------------------------------------------

def _task_done(tables, date: str, task_id: str) -> tuple[int, list[int]] | None:
    status = tables["task_status"]
    rows = status[(status["report_date"] == date) & (status["task_id"] == task_id)]
    if rows.empty:
        return None
    return int(rows["done"].sum()), sorted(int(c) for c in rows.loc[~rows["done"], "province_code"])


def _previous_day_done(tables, date: str, task_id: str) -> int | None:
    previous = (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat()
    found = _task_done(tables, previous, task_id)
    return None if found is None else found[0]


_NOT_DONE_RE = re.compile(r"\bch[a-z]{1,2}a hoan thanh")  # "chưa", OCR "chwa"


def derive_daily(claim, tables) -> list[tuple[str, str, Derived | None]]:
    """Task-level claims of a daily report: 'N/34 (tăng K)', 'NN tỉnh chưa hoàn thành: …', 'Toàn bộ … đã hoàn thành'."""
    task_id = claim["context"]
    text = fold(claim["text"])
    if not task_id or claim.get("_duplicate_context"):
        return []
    found = _task_done(tables, claim["report_date"], task_id)
    if found is None:
        return []
    done, not_done = found
    how = f"task_status {task_id}: provinces not listed as not done"
    if claim["pattern"] == "ratio" and claim["denominator"] == PROVINCES:
        out = [("value", claim["stated"].split("(")[0].strip(), Derived(done, how))]
        if not pd.isna(claim["change"]):
            before = _previous_day_done(tables, claim["report_date"], task_id)
            derived = None if before is None else Derived(done - before, f"{how}, minus the report of the day before")
            out.append(("change", f"tăng {int(claim['change'])}", derived))
        return out
    if claim["pattern"] == "all" and "hoan thanh" in text:
        return [("value", claim["stated"], Derived(PROVINCES - len(not_done), how, "confirmed" if not not_done else "contradicted"))]
    if claim["pattern"] == "count" and _NOT_DONE_RE.search(text) and claim["provinces"]:
        listed = _codes(claim["provinces"])
        same = int(claim["value"]) == len(not_done) and listed == not_done
        return [("list", claim["stated"], Derived(not_done, "task_status: provinces not done", "confirmed" if same else "contradicted"))]
    return []


# ---- plan-02 report ----------------------------------------------------------------

def _of_date(frame: pd.DataFrame, date: str) -> pd.DataFrame:
    return frame[frame["report_date"] == date]


def derive_plan02(claim, tables) -> list[tuple[str, str, Derived | None]]:
    text = fold(claim["text"])
    date = claim["report_date"]
    stated = claim["stated"]
    pattern = claim["pattern"]
    appendix = None if pd.isna(claim["appendix"]) else int(claim["appendix"])
    # bloc criteria (appendices 9-12): "N/34 tỉnh ... dưới 50%", "tất cả các tỉnh ... dưới 50%"
    if appendix in (9, 10, 11, 12) and pattern in ("ratio", "all") and "duoi" in text:
        summary = _of_date(tables["bloc_criteria_summary"], date)
        summary = summary[summary["appendix"] == appendix]
        if summary.empty:
            return []
        named = _criteria_named(summary, _clause(claim))
        value = PROVINCES if pattern == "all" else int(claim["value"])
        shown = f"{PROVINCES}/{PROVINCES}" if pattern == "all" else stated
        if named.empty:  # the sentence names no criterion recognisably: any criterion's count
            counts = sorted(set(int(v) for v in summary["provinces_below_50"]))
            how = f"bloc_criteria_summary appendix {appendix}: provinces under 50%, any criterion"
            return [("value", shown, Derived(counts, how, "confirmed" if value in counts else "contradicted"))]
        counts = [int(v) for v in named["provinces_below_50"]]
        how = f"bloc_criteria_summary appendix {appendix}: provinces under 50% for the criteria the sentence names ({', '.join(named['criterion_id'])})"
        return [("value", shown, Derived(counts, how, "confirmed" if all(c == value for c in counts) else "contradicted"))]
    phase2 = _of_date(tables["phase2_task_progress"], date)
    if "xanh" in text and "trang thai" in text and pattern == "ratio" and not phase2.empty:
        green = int(phase2["status"].map(fold).str.contains("xanh").sum())
        return [("value", stated, Derived(green, "phase2_task_progress: status XANH"))]
    if pattern == "none" and " do" in text and not phase2.empty:
        red = int(phase2["status"].map(fold).str.contains(r"\bdo\b").sum())
        return [("value", stated, Derived(red, "phase2_task_progress: status ĐỎ"))]
    status = _of_date(tables["commune_status"], date)
    if "phu xanh" in text and not status.empty and " tinh" in f" {fold(stated)}":
        if pattern == "count" and claim["provinces"]:
            full = sorted(int(c) for c in status.loc[status["green_pct"] >= 100, "province_code"])
            same = int(claim["value"]) == len(full) and _codes(claim["provinces"]) == full
            return [("list", stated, Derived(full, "commune_status: green_pct = 100", "confirmed" if same else "contradicted"))]
        if pattern == "count" and not pd.isna(claim["threshold"]):
            above = int((status["green_pct"] > claim["threshold"]).sum())
            return [("value", f"{stated} > {_num(claim['threshold'])}%", Derived(above, f"commune_status: green_pct > {_num(claim['threshold'])}"))]
    if pattern == "ratio" and claim["denominator"] > PROVINCES and not status.empty and "xa" in text:
        green, communes = int(status["green"].sum()), int(status["communes"].sum())
        out = [("value", stated.split("(")[0].strip(), Derived(green, "commune_status: communes GREEN, all provinces"))]
        if not pd.isna(claim["share_pct"]):
            out.append(("share", f"{_num(claim['share_pct'])}%".replace(".", ","), Derived(round(100 * green / communes, 2), "commune_status: GREEN / communes")))
        return out
    if pattern == "count" and "nhiem vu" in text and "qua han" in text:
        tasks = _of_date(tables["plan02_tasks"], date)
        return [("value", stated, Derived(int((tasks["appendix"] == 2).sum()), "plan02_tasks: appendix 2 rows"))]
    if pattern == "named":
        return _named_indicator(claim, tables, text)
    if pattern == "level" and int(claim["value"]) == 8 and "cap tinh" in fold(stated):
        from helpers.ingest.consistency import table_holds_all_levels

        compared = table_holds_all_levels(tables["dossiers"], date)
        if compared is None:
            return []
        how = f"dossiers one-day table: all-level totals ≥ commune totals for all {compared} provinces"
        return [("level", stated, Derived("mọi cấp (tỉnh và xã)", how, "contradicted"))]
    if pattern == "pct":
        return _pct_claim(claim, tables, text)
    return []


def _bigrams(text: str) -> set[tuple[str, str]]:
    words = re.findall(r"[a-z0-9]+", fold(text))
    return set(zip(words, words[1:]))


def _clause(claim) -> str:
    """The claim's own part of its sentence: from its number to the next ratio or the end."""
    text = claim["text"]
    start = max(0, text.find(claim["stated"]))
    nxt = re.search(r"\d+\s*/\s*\d+", text[start + len(claim["stated"]):])
    return text[start: start + len(claim["stated"]) + nxt.start()] if nxt else text[start:]


def _criteria_named(summary: pd.DataFrame, clause: str, share: float = 0.4) -> pd.DataFrame:
    """Criteria most of whose word pairs the clause uses: the ones it speaks about."""
    pairs = _bigrams(clause)
    scores = summary["criterion"].map(lambda c: len(_bigrams(c) & pairs) / max(1, len(_bigrams(c))))
    return summary[scores >= share]


def _indicator_for(words: str, tables, date: str) -> str | None:
    """The commune_readiness indicator sharing most words with ``words`` (at least two)."""
    readiness = _of_date(tables["commune_readiness"], date)
    norm = lambda s: set(re.sub(r"\b(?:chu ky so|chung thu so)\b", "cks", fold(s)).replace(",", " ").split())  # noqa: E731
    wanted = norm(words) - {"xa", "phuong", "da", "co", "cac", "tai", "va", "%"}
    best, best_score = None, 1
    for indicator_id, name in readiness[["indicator_id", "indicator"]].drop_duplicates().itertuples(index=False):
        score = len(wanted & norm(name))
        if score > best_score:
            best, best_score = indicator_id, score
    return best


def _named_indicator(claim, tables, text: str):
    """'<condition> (A, B, C)': the provinces where not every commune meets the condition."""
    at = fold(claim["text"]).find(fold(claim["stated"])[:12])
    before = fold(claim["text"])[:at].split(",")[-1].split(":")[-1]
    indicator = _indicator_for(" ".join(before.split()[-5:]), tables, claim["report_date"])
    if indicator is None:
        return []
    readiness = _of_date(tables["commune_readiness"], claim["report_date"])
    rows = readiness[readiness["indicator_id"] == indicator]
    short = sorted(int(c) for c in rows.loc[rows["pct"] < 100, "province_code"])
    same = _codes(claim["provinces"]) == short
    return [("list", claim["stated"], Derived(short, f"commune_readiness {indicator} < 100%", "confirmed" if same else "contradicted"))]


_DATE_RE = re.compile(r"ngay (\d{1,2})/(\d{1,2})/(\d{4})")


def _pct_claim(claim, tables, text: str):
    date = claim["report_date"]
    dossiers = _of_date(tables["dossiers"], date)
    stated = claim["stated"]
    value = float(claim["value"])
    if "truc tuyen" in text or "da tra" in text or "ho so" in text:
        if "thap nhat" in text and not dossiers.empty:
            # all dossiers of the whole period (province and commune level together)
            whole = dossiers[(dossiers["scope"] == "all") & (dossiers["period_start"] != dossiers["period_end"])]
            if whole.empty:
                return []
            low = whole.loc[whole["online_rate_pct"].idxmin()]
            named = provinces_named(claim["text"])
            ok = _close(value, float(low["online_rate_pct"]), stated, approximate="khoang" in text) and (not named or int(low["province_code"]) in named)
            return [("value", stated, Derived(float(low["online_rate_pct"]), f"dossiers cumulative, all levels: lowest online rate (province {int(low['province_code'])})", "confirmed" if ok else "contradicted"))]
        day = _DATE_RE.search(text)
        if day and not dossiers.empty:
            iso = dt.date(int(day.group(3)), int(day.group(2)), int(day.group(1))).isoformat()
            codes = provinces_named(claim["text"])
            rows = dossiers[(dossiers["period_start"] == iso) & (dossiers["period_end"] == iso) & (dossiers["province_code"].isin(codes[:1]))]
            # a province's own figure: all its dossiers where printed, else its province-level ones
            row = rows[rows["scope"] == "all"] if (rows["scope"] == "all").any() else rows[rows["scope"] == "province"]
            if row.empty:
                return []
            row = row.iloc[0]
            before = fold(claim["text"])[: fold(claim["text"]).find(fold(stated))]
            if "da tra" in before.split("%")[-1] and not pd.isna(row["returned"]):
                return [("value", stated, Derived(round(100 * row["returned"] / row["total"], 2), f"dossiers {iso} province {codes[0]}: returned / total"))]
            return [("value", stated, Derived(float(row["online_rate_pct"]), f"dossiers {iso} province {codes[0]}: online rate"))]
    if "nhan su" in text:
        indicator = _indicator_for("co du nhan su", tables, date)
        if indicator is None:
            return []
        readiness = _of_date(tables["commune_readiness"], date)
        rows = readiness[readiness["indicator_id"] == indicator].merge(tables["provinces"][["province_code", "wards"]], on="province_code")
        national = float((rows["pct"] * rows["wards"]).sum() / rows["wards"].sum())
        return [("value", stated, Derived(round(national, 2), f"commune_readiness {indicator}: mean weighted by communes"))]
    return []


# ---- vendor summary ------------------------------------------------------------------

SYSTEM_WORDS = {
    "tthc": "giai quyet",
    "document_management": "quan ly van ban",
    "online_meetings": "hop truc tuyen",
    "lgsp": "tich hop",
    "reporting": "bao cao",
}


def _system(heading: str) -> str | None:
    folded = fold(heading)
    # a heading may name two systems ("…; Hệ thống thông tin báo cáo"): the first named wins
    found = sorted((folded.find(w), system) for system, w in SYSTEM_WORDS.items() if w in folded)
    return found[0][1] if found else None


def derive_vendors(claim, tables) -> list[tuple[str, str, Derived | None]]:
    system = _system(claim["heading"] or "")
    if system is None:
        return []
    vendors = tables["vendors"]
    # the rows of the summary the claim is printed in (summaries are kept side by side)
    reports = tables["reports"]
    dated = reports.loc[reports["file"] == claim["file"], "report_date"].dropna()
    mine = vendors["summary_date"] == dated.iloc[0] if len(dated) else vendors["summary_date"].isna()
    rows = vendors[mine & (vendors["system"] == system)]
    text = fold(claim["text"])
    stated = claim["stated"]
    if claim["pattern"] == "ratio" and "vnpt" in text:
        count = int((rows["vendor"] == "VNPT").sum())
        out = [("value", stated.split("(")[0].strip(), Derived(count, f"vendors {system}: VNPT"))]
        if not pd.isna(claim["share_pct"]):
            exact = 100 * claim["value"] / claim["denominator"]
            shown = f"{_num(claim['share_pct'])}%"
            if round(exact) == claim["share_pct"]:
                out.append(("share", shown, Derived(round(exact, 2), "stated a/b, rounded", "confirmed")))
            else:
                how = "stated a/b, truncated instead of rounded" if math.floor(exact) == claim["share_pct"] else "stated a/b"
                out.append(("share", shown, Derived(round(exact, 2), how, "contradicted")))
        return out
    if claim["pattern"] == "count" and "con lai" in text:
        return [("value", stated, Derived(int((rows["vendor"] != "VNPT").sum()), f"vendors {system}: not VNPT"))]
    if claim["pattern"] == "count" and claim["provinces"]:
        before = text[: text.find(fold(stated)[:6])]
        if "tu phat trien" in text:
            vendor = "Tự phát triển"
        else:
            names = [v for v in rows["vendor"].unique() if fold(v) in before]
            if len(names) != 1:
                return []
            vendor = names[0]
        actual = sorted(int(c) for c in rows.loc[rows["vendor"] == vendor, "province_code"])
        same = int(claim["value"]) == len(actual) and _codes(claim["provinces"]) == actual
        return [("list", stated, Derived(actual, f"vendors {system}: {vendor}", "confirmed" if same else "contradicted"))]
    return []


DERIVERS: dict[str, Callable] = {
    "daily_readiness": derive_daily,
    "plan02": derive_plan02,
    "vendor_summary": derive_vendors,
}


# ---- the ledger --------------------------------------------------------------------

def _status(stated_value, derived: Derived | None, stated_text: str, approximate: bool) -> str:
    if derived is None:
        return "unverifiable"
    if derived.status:
        return derived.status
    return "confirmed" if _close(float(stated_value), float(derived.value), stated_text, approximate) else "contradicted"


def _stated_value(claim, part: str):
    if part == "change":
        return float(claim["change"])
    if part == "share":
        return float(claim["share_pct"])
    if part == "list":
        return _codes(claim["provinces"])
    if part == "level":
        return None
    if claim["pattern"] == "all":
        return float(PROVINCES)
    return float(claim["value"])


def claims_ledger(tables: dict[str, pd.DataFrame], report_dates: list[str] | None = None, files: set[str] | None = None) -> pd.DataFrame:
    """One row per checked part of each claim: text, source 'file:line', stated, derived, status, how.

    ``report_dates``: the claims of reports of these dates and of undated reports (with
    ``files``: of those documents instead of the undated ones); all if None."""
    claims = tables["claims"].copy()
    kinds = tables["reports"].set_index("file")["kind"]
    if report_dates is not None:
        others = claims["report_date"].isna() if files is None else claims["file"].isin(files)
        claims = claims[claims["report_date"].isin(report_dates) | others]
    # a heading lost to OCR leaves two task blocks under one id: only the first is that task
    claims = claims.sort_values(["file", "line"], kind="stable")
    task_claims = claims["pattern"] == "ratio"
    duplicate = pd.Series(pd.NA, index=claims.index, dtype="boolean")
    duplicate[task_claims] = claims[task_claims].duplicated(["file", "context"], keep="first")
    # the claims after a block's ratio belong to that block
    claims["_duplicate_context"] = duplicate.groupby(claims["file"]).ffill().fillna(False).astype(bool)
    rows = []
    for claim in claims.to_dict("records"):
        kind = kinds.get(claim["file"])
        deriver = DERIVERS.get(kind)
        parts = deriver(claim, tables) if deriver else []
        if not parts:
            parts = [("value", claim["stated"], None)]
        for part, shown, derived in parts:
            stated_value = _stated_value(claim, part)
            status = _status(stated_value, derived, shown, "khoang" in fold(claim["text"]))
            rows.append({
                "report_date": claim["report_date"],
                "kind": kind,
                "text": claim["text"],
                "source": f"{claim['file']}:{claim['line']}",
                "claim_id": claim["claim_id"],
                "part": part,
                "stated": shown,
                "derived": None if derived is None else _num(derived.value),
                "status": status,
                "how": None if derived is None else derived.how,
            })
    return pd.DataFrame(rows, columns=["report_date", "kind", "text", "source", "claim_id", "part", "stated", "derived", "status", "how"])


def claims_for_date(tables: dict[str, pd.DataFrame], report_date: str, files: set[str] | None = None) -> list[dict]:
    """The ledger of one briefing date, as summary.json's ``claims``: the claims of its
    reports and of ``files`` (the documents of other dates it uses; undated ones if None)."""
    ledger = claims_ledger(tables, [report_date], files)
    keep = ["text", "source", "stated", "derived", "status", "how"]
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in ledger[keep].to_dict("records")]


def status_counts(ledger: pd.DataFrame) -> dict[str, int]:
    return {s: int((ledger["status"] == s).sum()) for s in STATUSES}
