"""The consolidation benchmark's merge as a plain pandas + openpyxl script, for comparison.

Same algorithm as engine/merge: folded tokens (no diacritics, common phrases abbreviated, numbers and
function words dropped) as sets, Jaccard >= 0.5 within a reform area, each task compared with the kept
tasks of other agencies through a prefix-filtered inverted index. Then renumbering,
summary per area / agency / quarter, and an xlsx written with openpyxl.

Usage: consolidate_pandas.py INPUT.csv OUTPUT.xlsx  -> prints one JSON line with timings.
"""
import json
import math
import re
import sys
import time
import unicodedata

import pandas as pd
from openpyxl.styles import Font
from openpyxl.worksheet.page import PageMargins

AREAS = ["direction", "institution", "procedure", "organization", "civil-service", "public-finance", "digital-government"]
STOPWORDS = set("va cac cua cho voi trong tren tai theo de ve la nhung mot do nay khi duoc co den tu hoac thi vao".split())
PHRASES = [
    ("van ban quy pham phap luat", "vbqppl"), ("quy pham phap luat", "qppl"),
    ("can bo cong chuc vien chuc", "cbccvc"), ("cong chuc vien chuc", "ccvc"),
    ("cai cach hanh chinh", "cchc"), ("thu tuc hanh chinh", "tthc"),
    ("dich vu cong truc tuyen", "dvctt"), ("dich vu cong", "dvc"), ("cong nghe thong tin", "cntt"),
    ("uy ban nhan dan", "ubnd"), ("hoi dong nhan dan", "hdnd"), ("chuyen doi so", "cds"),
]
PHRASE_RE = re.compile(r"(?<![a-z0-9])(?:" + "|".join(p for p, _ in PHRASES) + r")(?![a-z0-9])")
PHRASE_TO = dict(PHRASES)
THRESHOLD = 0.5


def fold(s):
    s = unicodedata.normalize("NFC", s).lower()
    s = unicodedata.normalize("NFD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).replace("đ", "d")
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def features(text):
    folded = PHRASE_RE.sub(lambda m: PHRASE_TO[m.group(0)], fold(text))
    tokens = [t for t in folded.split() if not t.isdigit() and t not in STOPWORDS]
    return list(dict.fromkeys(tokens))


def prefix_len(n, t):
    return n - math.ceil(t * n - 1e-9) + 1


def jaccard(a, b):
    common = len(a & b)
    return common / (len(a) + len(b) - common) if common else 0.0


def merge(df):
    feats = [features(t) for t in df["task"]]
    freq = {}
    for fs in feats:
        for f in fs:
            freq[f] = freq.get(f, 0) + 1
    order = {f: i for i, f in enumerate(sorted(freq, key=lambda f: (freq[f], f)))}
    sets = [sorted(order[f] for f in fs) for fs in feats]
    kept_by = [-1] * len(df)
    similarity = [0.0] * len(df)
    agencies = df["agency_id"].tolist()
    for area, idx in df.groupby("area", sort=False).indices.items():
        postings, cluster = {}, {}
        for i in idx:
            s = sets[i]
            best, best_sim = -1, 0.0
            if len(s) >= 2:
                seen, sset = set(), set(s)
                for f in s[: prefix_len(len(s), THRESHOLD)]:
                    for rep in postings.get(f, ()):
                        if rep in seen:
                            continue
                        seen.add(rep)
                        r = sets[rep]
                        if len(r) < THRESHOLD * len(s) - 1e-9 or len(r) * THRESHOLD > len(s) + 1e-9:
                            continue
                        if agencies[i] in cluster[rep]:
                            continue
                        sim = jaccard(sset, set(r))
                        if sim >= THRESHOLD - 1e-9 and (sim > best_sim or (sim == best_sim and rep < best)):
                            best, best_sim = rep, sim
            if best >= 0:
                kept_by[i], similarity[i] = best, best_sim
                cluster[best].add(agencies[i])
            else:
                cluster[i] = {agencies[i]}
                for f in s[: prefix_len(len(s), THRESHOLD)]:
                    postings.setdefault(f, []).append(i)
    out = df.copy()
    out["kept_by"] = kept_by
    out["similarity"] = similarity
    return out


def main(src, dst):
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    t0, c0 = time.perf_counter(), time.process_time()
    m = merge(df)
    kept = m[m["kept_by"] < 0].copy()
    kept["area_order"] = kept["area"].map({a: i for i, a in enumerate(AREAS)}).fillna(len(AREAS))
    kept = kept.sort_values("area_order", kind="stable")
    kept["stt"] = kept.groupby("area", sort=False).cumcount() + 1
    due = pd.to_datetime(kept["due"].where(kept["kind"] == "date"), errors="coerce")
    by_quarter = due.dt.to_period("Q").value_counts().sort_index()
    by_area = kept.groupby("area", sort=False).size()
    by_agency = m.assign(merged=m["kept_by"] >= 0).groupby("agency_id", sort=False).agg(
        submitted=("task", "size"), merged=("merged", "sum"))
    overdue = kept[(due < pd.Timestamp("2026-07-01"))]
    dups = m[m["kept_by"] >= 0]
    t1, c1 = time.perf_counter(), time.process_time()

    table = kept[["stt", "task", "lead", "support", "due", "agency_name", "row"]].rename(columns={
        "stt": "STT", "task": "Nhiệm vụ", "lead": "Cơ quan chủ trì", "support": "Cơ quan phối hợp",
        "due": "Thời gian thực hiện", "agency_name": "Cơ quan xây dựng", "row": "Dòng gốc"})
    with pd.ExcelWriter(dst, engine="openpyxl") as xw:
        table.to_excel(xw, sheet_name="Phụ lục", index=False, startrow=4)
        pd.DataFrame({"Lĩnh vực": by_area.index, "Số nhiệm vụ": by_area.values}).to_excel(xw, sheet_name="Tổng hợp", index=False)
        by_agency.to_excel(xw, sheet_name="Tổng hợp", startrow=len(by_area) + 3)
        pd.DataFrame({"Quý": by_quarter.index.astype(str), "Số nhiệm vụ": by_quarter.values}).to_excel(
            xw, sheet_name="Tổng hợp", index=False, startrow=len(by_area) + len(by_agency) + 6)
        dups[["task", "agency_name", "kept_by", "similarity"]].to_excel(xw, sheet_name="Trùng lặp, xung đột", index=False)
        ws = xw.sheets["Phụ lục"]
        ws["A1"] = "Phụ lục"
        ws["A2"] = "TỔNG HỢP NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026"
        font = Font(name="Times New Roman", size=12)
        for row in ws.iter_rows():
            for cell in row:
                cell.font = font
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_margins = PageMargins(left=1.18, right=0.59, top=0.79, bottom=0.79)
        ws.print_title_rows = "5:5"
    t2, c2 = time.perf_counter(), time.process_time()
    print(json.dumps({
        "consolidate_ms": round((t1 - t0) * 1000), "xlsx_ms": round((t2 - t1) * 1000),
        "consolidate_cpu_ms": round((c1 - c0) * 1000), "xlsx_cpu_ms": round((c2 - c1) * 1000),
        "tasks_kept": int(len(kept)), "duplicates_merged": int(len(dups)), "overdue": int(len(overdue)),
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
