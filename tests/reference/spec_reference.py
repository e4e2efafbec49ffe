#!/usr/bin/env python3
"""Independent reference implementation of docs/metrics.md (metrics and classes).

Written from the specification only, as an oracle for `tests/reference_oracle.rs`.
Reads canonical inputs (UTF-8 CSV, comma delimiter, ISO dates, `.` decimals, canonical
headers) and prints `portfolio.csv` to standard output.

Money and quantities are kept exact (Decimal); class decisions use exact rationals
(Fraction). Reported ratios are rounded to 6 decimals.
"""

import argparse
import calendar
import csv
import datetime as dt
import sys
from decimal import ROUND_HALF_EVEN, Decimal, getcontext
from fractions import Fraction
from pathlib import Path

getcontext().prec = 60

COLUMNS = [
    "customer_id",
    "name",
    "revenue",
    "cost",
    "margin",
    "margin_pct",
    "quantity",
    "orders",
    "products",
    "revenue_prev",
    "growth",
    "last_purchase",
    "days_since_last",
    "share_of_wallet",
    "active_months",
    "cv",
    "abc",
    "xyz",
    "alerts",
]

ABC_CLASSES = ["A", "B", "C"]
XYZ_CLASSES = ["X", "Y", "Z"]


def field(row, name):
    """A field's text, or None where the column is absent or the field empty."""
    value = row.get(name)
    if value is None or value == "":
        return None
    return value


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    return header, rows


def sales_files(path):
    p = Path(path)
    if p.is_dir():
        return sorted((f for f in p.iterdir() if f.suffix == ".csv" and f.is_file()),
                      key=lambda f: f.name.encode("utf-8"))
    return [p]


def add_months(year, month, delta):
    """(year, month) moved by delta months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_end(year, month):
    return dt.date(year, month, calendar.monthrange(year, month)[1])


class Line:
    __slots__ = ("date", "invoice", "customer", "product", "quantity", "revenue", "cost")


def load_sales(path):
    """All accepted sales lines, plus which optional columns the data has."""
    lines = []
    has_cost = False
    has_product = False
    has_invoice = False
    for file in sales_files(path):
        header, rows = read_csv(file)
        has_cost |= "cost" in header
        has_product |= "product_id" in header
        has_invoice |= "invoice_id" in header
        for row in rows:
            customer = field(row, "customer_id")
            date = field(row, "date")
            revenue = field(row, "revenue")
            if customer is None or date is None or revenue is None:
                continue  # rejected
            line = Line()
            line.date = dt.date.fromisoformat(date)
            line.customer = customer
            line.invoice = field(row, "invoice_id")
            line.product = field(row, "product_id")
            quantity = field(row, "quantity")
            line.quantity = Decimal(quantity) if quantity is not None else Decimal(0)
            line.revenue = Decimal(revenue)
            cost = field(row, "cost")
            line.cost = Decimal(cost) if cost is not None else Decimal(0)
            lines.append(line)
    return lines, has_cost, has_product, has_invoice


def load_customers(path):
    if path is None:
        return {}
    _, rows = read_csv(path)
    master = {}
    for row in rows:
        cid = field(row, "customer_id")
        if cid is None:
            continue
        if cid in master:
            sys.exit(f"customer {cid} appears twice in the master")
        potential = field(row, "potential")
        master[cid] = {
            "name": row.get("name") or "",
            "potential": Decimal(potential) if potential is not None else None,
        }
    return master


# ---------------------------------------------------------------- formatting


def fmt_amount(value):
    """At least 2 and at most 4 decimals, trailing zeros past the 2nd trimmed."""
    if value is None:
        return ""
    q = value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
    if q == 0:
        return "0.00"
    text = f"{q:f}"
    whole, _, frac = text.partition(".")
    frac = (frac + "0000")[:4].rstrip("0")
    frac = frac.ljust(2, "0")
    return f"{whole}.{frac}"


def fmt_ratio(value):
    """A Fraction rounded to 6 decimals, trailing zeros and dot removed."""
    if value is None:
        return ""
    d = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.000001"), rounding=ROUND_HALF_EVEN
    )
    if d == 0:
        return "0"
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt_ratio_decimal(value):
    if value is None:
        return ""
    return fmt_ratio(Fraction(value))


def frac(d):
    return Fraction(d)


# ---------------------------------------------------------------- core


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sales", required=True)
    ap.add_argument("--customers")
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--as-of", dest="as_of")
    ap.add_argument("--abc-method", choices=["cumulative-share", "rank-share"],
                    default="cumulative-share")
    ap.add_argument("--xyz-method", choices=["cv", "frequency"], default="cv")
    args = ap.parse_args()

    months = args.months
    lines, has_cost, has_product, has_invoice = load_sales(args.sales)
    master = load_customers(args.customers)

    if args.as_of:
        as_of = dt.date.fromisoformat(args.as_of)
    else:
        latest = max(line.date for line in lines)
        as_of = month_end(latest.year, latest.month)

    start_ym = add_months(as_of.year, as_of.month, -(months - 1))
    window_start = dt.date(start_ym[0], start_ym[1], 1)
    prev_ym = add_months(start_ym[0], start_ym[1], -months)
    prev_start = dt.date(prev_ym[0], prev_ym[1], 1)
    window_months = [add_months(start_ym[0], start_ym[1], k) for k in range(months)]
    month_index = {ym: k for k, ym in enumerate(window_months)}

    lines = [line for line in lines if line.date <= as_of]
    ids = set(master) | {line.customer for line in lines}

    stats = {
        cid: {
            "revenue": Decimal(0),
            "cost": Decimal(0),
            "quantity": Decimal(0),
            "orders": set(),
            "products": set(),
            "revenue_prev": Decimal(0),
            "last": None,
            "monthly": [Decimal(0)] * months,
        }
        for cid in ids
    }
    for line in lines:
        s = stats[line.customer]
        if s["last"] is None or line.date > s["last"]:
            s["last"] = line.date
        if window_start <= line.date:
            s["revenue"] += line.revenue
            s["cost"] += line.cost
            s["quantity"] += line.quantity
            if has_invoice and line.invoice is not None:
                s["orders"].add(("invoice", line.invoice))
            else:
                s["orders"].add(("date", line.date))
            if line.product is not None:
                s["products"].add(line.product)
            k = month_index[(line.date.year, line.date.month)]
            s["monthly"][k] += line.revenue
        elif prev_start <= line.date:
            s["revenue_prev"] += line.revenue

    order = sorted(ids, key=lambda c: c.encode("utf-8"))

    # ABC
    positive = [c for c in order if stats[c]["revenue"] > 0]
    ranked = sorted(positive, key=lambda c: (-stats[c]["revenue"], c.encode("utf-8")))
    abc = {c: ABC_CLASSES[-1] for c in ids}
    if args.abc_method == "cumulative-share":
        bounds = [Fraction("0.80"), Fraction("0.95"), Fraction("1.00")]
        total = sum((frac(stats[c]["revenue"]) for c in ranked), Fraction(0))
        ahead = Fraction(0)
        for c in ranked:
            for cls, bound in zip(ABC_CLASSES, bounds):
                if ahead < bound * total:  # bound > ahead / total
                    abc[c] = cls
                    break
            ahead += frac(stats[c]["revenue"])
    else:
        shares = [Fraction("0.10"), Fraction("0.20"), Fraction("0.70")]
        n = len(ids)
        quotas = []
        cum = Fraction(0)
        for share in shares:
            cum += share
            q = cum * n
            quotas.append(-((-q.numerator) // q.denominator))  # exact ceil
        for rank, c in enumerate(ranked, start=1):
            for cls, quota in zip(ABC_CLASSES, quotas):
                if rank <= quota:
                    abc[c] = cls
                    break

    out = csv.writer(sys.stdout, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    out.writerow(COLUMNS)
    for c in order:
        s = stats[c]
        info = master.get(c, {"name": "", "potential": None})
        revenue = s["revenue"]
        cost = s["cost"] if has_cost else None
        margin = revenue - cost if cost is not None else None
        margin_pct = frac(margin) / frac(revenue) if margin is not None and revenue > 0 else None
        prev = s["revenue_prev"]
        growth = frac(revenue) / frac(prev) - 1 if prev > 0 else None
        last = s["last"]
        days = (as_of - last).days if last is not None else None
        potential = info["potential"]
        sow = frac(revenue) / frac(potential) if potential is not None and potential > 0 else None
        monthly = [frac(v) for v in s["monthly"]]
        active = sum(1 for v in monthly if v != 0)
        mean = sum(monthly, Fraction(0)) / months
        var = sum(((v - mean) ** 2 for v in monthly), Fraction(0)) / months
        if mean > 0:
            sd = (Decimal(var.numerator) / Decimal(var.denominator)).sqrt()
            cv = fmt_ratio_decimal(sd / (Decimal(mean.numerator) / Decimal(mean.denominator)))
        else:
            cv = ""

        if args.xyz_method == "cv":
            if mean <= 0:
                xyz = XYZ_CLASSES[-1]
            else:
                xyz = XYZ_CLASSES[-1]
                for cls, bound in zip(XYZ_CLASSES, [Fraction("0.5"), Fraction("1.0")]):
                    if var <= bound * bound * mean * mean:
                        xyz = cls
                        break
        else:
            ratio = Fraction(active, months)
            xyz = XYZ_CLASSES[-1]
            for cls, bound in zip(XYZ_CLASSES, [Fraction("0.75"), Fraction("0.40")]):
                if ratio >= bound:
                    xyz = cls
                    break

        out.writerow([
            c,
            info["name"],
            fmt_amount(revenue),
            fmt_amount(cost),
            fmt_amount(margin),
            fmt_ratio(margin_pct),
            fmt_amount(s["quantity"]),
            str(len(s["orders"])),
            str(len(s["products"])) if has_product else "",
            fmt_amount(prev),
            fmt_ratio(growth),
            last.isoformat() if last is not None else "",
            str(days) if days is not None else "",
            fmt_ratio(sow),
            str(active),
            cv,
            abc[c],
            xyz,
            "",
        ])


if __name__ == "__main__":
    main()
