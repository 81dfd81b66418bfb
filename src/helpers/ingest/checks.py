"""Checks that span reports or tables (each parser checks its own report).

Each returns data_quality rows: the source contradicting itself is a finding
shown in the briefing, never a crash.
"""

from __future__ import annotations


def cross_report_findings(tables: dict) -> list[dict]:
    rows: list[dict] = []
    rows.extend(_commune_counts_vs_registry(tables))
    return rows


def _commune_counts_vs_registry(tables: dict) -> list[dict]:
    """Commune counts printed in appendix 4 must equal the registry's ward counts."""
    status = tables.get("commune_status")
    if status is None:
        return []
    wards = dict(zip(tables["provinces"]["province_code"], tables["provinces"]["wards"]))
    out = []
    for row in status.itertuples(index=False):
        expected = wards.get(int(row.province_code))
        if expected is not None and int(row.communes) != expected:
            out.append(
                {
                    "report_date": row.report_date,
                    "source": "commune_status vs vietnam-provinces",
                    "check": "communes_equal_registry_wards",
                    "severity": "warning",
                    "detail": f"province {int(row.province_code)}: report says {int(row.communes)} communes, registry has {expected}",
                }
            )
    return out
