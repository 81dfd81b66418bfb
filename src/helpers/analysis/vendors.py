"""The vendor lens: readiness and online uptake grouped by who deploys a province's system.

Source: the vendor summary in force on the briefing's date (``DateFacts.vendors``: the
latest dated on or before it, else the undated one of about 22–23/6/2025), joined with
readiness (plan-02 appendices 4–5) and the cumulative online rate (appendix 8, table III)
of the date.
"""

from __future__ import annotations

import pandas as pd

def vendor_lens(
    vendors: pd.DataFrame,
    readiness: pd.DataFrame,
    uptake: pd.DataFrame,
    system: str = "tthc",
    small_group_n: int = 3,
) -> pd.DataFrame:
    """Per vendor of ``system``: how many provinces, their median and mean readiness and online rate.

    Method: each province is put in the group of the vendor deploying ``system``
    (default 'tthc', the administrative-procedure system that receives online
    dossiers); for each group, the number of provinces ``n`` and the median and mean
    of the infrastructure readiness index and of the cumulative online rate. Groups
    with ``n < small_group_n`` are marked ``small_group``: a mean over one or two
    provinces says little about a vendor. This is a descriptive lens, not a
    causal claim: vendors were chosen by provinces that also differ in size and
    starting point. ``readiness`` needs ``province_code``, ``readiness_index``;
    ``uptake`` needs ``province_code``, ``online_rate_pct``. Sorted by n descending,
    then vendor name.
    """
    chosen = vendors[vendors["system"] == system][["province_code", "vendor"]]
    if chosen.empty:
        raise ValueError(f"vendors has no rows for system {system!r}")
    if chosen["province_code"].duplicated().any():
        raise ValueError(f"vendors has more than one vendor for a province's {system!r}")
    frame = chosen.merge(readiness[["province_code", "readiness_index"]], on="province_code", how="left", validate="one_to_one")
    frame = frame.merge(uptake[["province_code", "online_rate_pct"]], on="province_code", how="left", validate="one_to_one")
    if frame[["readiness_index", "online_rate_pct"]].isna().any().any():
        missing = sorted(frame.loc[frame[["readiness_index", "online_rate_pct"]].isna().any(axis=1), "province_code"])
        raise ValueError(f"no readiness or online rate for provinces {missing}")
    groups = frame.sort_values("province_code", kind="stable").groupby("vendor", sort=True)
    out = pd.DataFrame(
        {
            "n": groups.size(),
            "readiness_median": groups["readiness_index"].median(),
            "readiness_mean": groups["readiness_index"].mean(),
            "online_rate_median": groups["online_rate_pct"].median(),
            "online_rate_mean": groups["online_rate_pct"].mean(),
            "province_codes": groups["province_code"].agg(lambda s: tuple(int(c) for c in s)),
        }
    ).reset_index()
    out["n"] = out["n"].astype("int64")
    out["small_group"] = out["n"] < small_group_n
    out.insert(1, "system", system)
    return out.sort_values(["n", "vendor"], ascending=[False, True], kind="stable").reset_index(drop=True)
