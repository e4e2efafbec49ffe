#!/usr/bin/env python3
"""Dataframe baseline for kamplan's `classify`: the same per-customer aggregation
done with polars and with DuckDB, timed on this machine.

What it measures
----------------
For each library, in a fresh child process (so that peak RSS is that library's
alone), the time from "start reading the CSV" to "result CSV written":

  * read the sales CSV with the library's native multi-threaded reader
    (polars: ``scan_csv`` + lazy query + ``collect``; DuckDB: ``read_csv`` with
    explicit column types) and the customers master (``customer_id`` only);
  * aggregate per customer, with ``as_of`` = 2025-06-30, the 12-month window
    2024-07-01..2025-06-30 and the previous window 2023-07-01..2024-06-30:
      - revenue, cost, quantity: sums over the window;
      - orders: distinct ``invoice_id`` in the window;
      - products: distinct ``product_id`` in the window;
      - revenue_prev: revenue of the previous window;
      - last_purchase: latest sale date <= as_of (whole history);
      - active_months: months of the window with nonzero net revenue;
      - cv: population sd / mean of the 12 monthly revenues of the window,
        zero months included; null when the mean is not positive;
      - abc: rank by revenue descending, ties by customer_id ascending; A when
        the share of (positive) revenue held by the customers ranked ahead is
        < 0.80, B when < 0.95, else C; revenue <= 0 -> C;
      - xyz: cv <= 0.5 -> X, <= 1.0 -> Y, else Z; null cv -> Z;
  * write the per-customer table (sorted by customer_id) to
    ``/tmp/dataframe_baseline_<library>.csv``.

Query shapes: the sales scan feeds two group-bys (per customer; per customer
and month), which each library runs off a single read of the CSV (polars
caches the scan, DuckDB materialises the CTE). polars runs on its streaming
engine, which here was as fast as ``engine="auto"`` and faster and smaller than
``"in-memory"``; a single group-by with 12 filtered monthly sums was slower in
both libraries.

Customers are those of the master and those of the sales (a full outer join),
like kamplan's portfolio; customers without sales get zeros and class C/Z.

``time.perf_counter`` wraps read + aggregate + write (the library import is
excluded from the time but included in the RSS); peak RSS is
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` read in the child at the end.
Each library runs RUNS (3) times, alternating libraries; the table gives the
minimum and median wall time and the largest peak RSS over the runs. Both
libraries use all cores (their defaults).

Differences from kamplan, so the comparison is read fairly:
  * money and quantities are float64 here (monthly sums are rounded to cents
    before testing for zero); kamplan keeps amounts exact (fixed-point integers)
    and decides class bounds in exact arithmetic, so a customer sitting exactly
    on a bound may differ;
  * the column types, delimiter, date format, as_of and window are given to the
    libraries; kamplan sniffs the dialect, maps headers, validates every line
    and resolves as_of from the data;
  * kamplan computes a few more columns (margin, growth, days since last
    purchase, share of wallet, ...) from the master and also writes an XLSX
    workbook; this baseline writes only the CSV above;
  * the kamplan row (``--kamplan``) times the whole process, start-up
    included, while the library rows leave out the Python import.

On the 10-million-line bench data set both libraries' tables matched kamplan's
``portfolio.csv`` customer for customer (20,006 rows; orders, products,
last_purchase, active_months, ABC and XYZ identical; sums within 1e-7).
All runs read the CSV from the page cache (warm), as kamplan's bench does.

How to run
----------
    pip install polars duckdb
    cargo bench --bench classify          # once, generates the data set
    python3 benches/dataframe_baseline.py target/bench-data/lines-10000000

    python3 benches/dataframe_baseline.py target/bench-data/lines-10000000 \
        --kamplan target/release/kamplan

The argument is the data folder holding ``sales/sales.csv`` (or
``sales/sales.parquet``: the libraries then read the Parquet file, casting
its DECIMAL amounts to float64, and kamplan reads it as its project says)
and ``customers.csv``. With ``--kamplan BIN`` the kamplan binary's
``classify DATA --out /tmp/dataframe_baseline_kamplan`` is timed too, in the
same rounds (wall time around the whole process, peak RSS from
``RUSAGE_CHILDREN``), so the three are compared under the same machine load:
on a shared VM absolute times drift by tens of percent between minutes.
Keep the machine otherwise idle while it runs.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date

AS_OF = date(2025, 6, 30)
WINDOW_START = date(2024, 7, 1)
PREV_START = date(2023, 7, 1)
MONTHS = 12
ABC_BOUNDS = (0.80, 0.95)
XYZ_BOUNDS = (0.5, 1.0)
RUNS = 3
LIBRARIES = ("polars", "duckdb")
OUTPUT_COLUMNS = [
    "customer_id", "revenue", "cost", "quantity", "orders", "products", "revenue_prev",
    "last_purchase", "active_months", "cv", "abc", "xyz",
]


def output_path(library: str) -> str:
    return f"/tmp/dataframe_baseline_{library}.csv"


# --------------------------------------------------------------------- polars


def run_polars(sales_path: str, customers_csv: str, out_csv: str) -> None:
    import polars as pl

    if sales_path.endswith(".parquet"):
        amounts = pl.col("quantity", "revenue", "cost").cast(pl.Float64)
        sales = pl.scan_parquet(sales_path).with_columns(amounts)
    else:
        sales = pl.scan_csv(
            sales_path,
            schema={
                "date": pl.Date,
                "invoice_id": pl.String,
                "customer_id": pl.String,
                "product_id": pl.String,
                "product_category": pl.String,
                "quantity": pl.Float64,
                "revenue": pl.Float64,
                "cost": pl.Float64,
            },
        )
    sales = sales.filter(pl.col("date") <= AS_OF)

    in_window = pl.col("date") >= WINDOW_START
    in_prev = (pl.col("date") >= PREV_START) & (pl.col("date") < WINDOW_START)
    per_customer = sales.group_by("customer_id").agg(
        pl.col("revenue").filter(in_window).sum().alias("revenue"),
        pl.col("cost").filter(in_window).sum().alias("cost"),
        pl.col("quantity").filter(in_window).sum().alias("quantity"),
        pl.col("invoice_id").filter(in_window).n_unique().alias("orders"),
        pl.col("product_id").filter(in_window).n_unique().alias("products"),
        pl.col("revenue").filter(in_prev).sum().alias("revenue_prev"),
        pl.col("date").max().alias("last_purchase"),
    )
    # Monthly net revenue of the window, then its count of nonzero months and moments.
    monthly = (
        sales.filter(in_window)
        .group_by("customer_id", pl.col("date").dt.truncate("1mo").alias("month"))
        .agg(pl.col("revenue").sum().round(2).alias("r"))
        .group_by("customer_id")
        .agg(
            (pl.col("r") != 0).sum().alias("active_months"),
            pl.col("r").sum().alias("s"),
            (pl.col("r") ** 2).sum().alias("ss"),
        )
    )
    master = pl.scan_csv(customers_csv, schema_overrides={"customer_id": pl.String}).select(
        "customer_id"
    )

    mean = pl.col("s") / MONTHS
    variance = (pl.col("ss") / MONTHS - mean**2).clip(lower_bound=0)
    positive = pl.col("revenue").clip(lower_bound=0)
    share_before = (positive.cum_sum() - positive) / positive.sum()
    table = (
        master.join(per_customer, on="customer_id", how="full", coalesce=True)
        .join(monthly, on="customer_id", how="left")
        .with_columns(
            pl.col("revenue", "cost", "quantity", "revenue_prev", "s", "ss").fill_null(0.0),
            pl.col("orders", "products", "active_months").fill_null(0),
        )
        .with_columns(
            pl.when(pl.col("s") > 0).then(variance.sqrt() / mean).otherwise(None).alias("cv")
        )
        .sort(["revenue", "customer_id"], descending=[True, False])
        .with_columns(
            pl.when(pl.col("revenue") <= 0)
            .then(pl.lit("C"))
            .when(share_before < ABC_BOUNDS[0])
            .then(pl.lit("A"))
            .when(share_before < ABC_BOUNDS[1])
            .then(pl.lit("B"))
            .otherwise(pl.lit("C"))
            .alias("abc"),
            pl.when(pl.col("cv").is_null())
            .then(pl.lit("Z"))
            .when(pl.col("cv") <= XYZ_BOUNDS[0])
            .then(pl.lit("X"))
            .when(pl.col("cv") <= XYZ_BOUNDS[1])
            .then(pl.lit("Y"))
            .otherwise(pl.lit("Z"))
            .alias("xyz"),
        )
        .select(OUTPUT_COLUMNS)
        .sort("customer_id")
        .collect(engine="streaming")
    )
    table.write_csv(out_csv)


# --------------------------------------------------------------------- DuckDB


def run_duckdb(sales_path: str, customers_csv: str, out_csv: str) -> None:
    import duckdb

    def quote(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    if sales_path.endswith(".parquet"):
        source = (f"(SELECT * REPLACE (quantity::DOUBLE AS quantity, revenue::DOUBLE AS revenue,"
                  f" cost::DOUBLE AS cost) FROM read_parquet({quote(sales_path)}))")
    else:
        source = f"""read_csv({quote(sales_path)}, header = true, delim = ',',
                columns = {{'date': 'DATE', 'invoice_id': 'VARCHAR', 'customer_id': 'VARCHAR',
                            'product_id': 'VARCHAR', 'product_category': 'VARCHAR',
                            'quantity': 'DOUBLE', 'revenue': 'DOUBLE', 'cost': 'DOUBLE'}})"""
    con = duckdb.connect()  # in-memory; threads default to the number of cores
    con.execute(
        f"""
        COPY (
        WITH sales AS (
            SELECT * FROM {source}
            WHERE date <= DATE '{AS_OF}'
        ),
        per_customer AS (
            SELECT customer_id,
                coalesce(sum(revenue) FILTER (WHERE date >= DATE '{WINDOW_START}'), 0) AS revenue,
                coalesce(sum(cost) FILTER (WHERE date >= DATE '{WINDOW_START}'), 0) AS cost,
                coalesce(sum(quantity) FILTER (WHERE date >= DATE '{WINDOW_START}'), 0) AS quantity,
                count(DISTINCT invoice_id) FILTER (WHERE date >= DATE '{WINDOW_START}') AS orders,
                count(DISTINCT product_id) FILTER (WHERE date >= DATE '{WINDOW_START}') AS products,
                coalesce(sum(revenue) FILTER (WHERE date >= DATE '{PREV_START}'
                                              AND date < DATE '{WINDOW_START}'), 0) AS revenue_prev,
                max(date) AS last_purchase
            FROM sales GROUP BY customer_id
        ),
        monthly AS (
            SELECT customer_id, date_trunc('month', date) AS m, round(sum(revenue), 2) AS r
            FROM sales WHERE date >= DATE '{WINDOW_START}' GROUP BY ALL
        ),
        moments AS (
            SELECT customer_id, count(*) FILTER (WHERE r <> 0) AS active_months,
                   sum(r) AS s, sum(r * r) AS ss
            FROM monthly GROUP BY customer_id
        ),
        master AS (
            SELECT customer_id FROM read_csv({quote(customers_csv)}, header = true,
                                             types = {{'customer_id': 'VARCHAR'}})
        ),
        joined AS (
            SELECT coalesce(m.customer_id, p.customer_id) AS customer_id,
                coalesce(p.revenue, 0) AS revenue, coalesce(p.cost, 0) AS cost,
                coalesce(p.quantity, 0) AS quantity, coalesce(p.orders, 0) AS orders,
                coalesce(p.products, 0) AS products, coalesce(p.revenue_prev, 0) AS revenue_prev,
                p.last_purchase, coalesce(o.active_months, 0) AS active_months,
                CASE WHEN o.s > 0 THEN
                    sqrt(greatest(o.ss / {MONTHS} - (o.s / {MONTHS}) ^ 2, 0)) / (o.s / {MONTHS})
                END AS cv
            FROM master m
            FULL OUTER JOIN per_customer p ON m.customer_id = p.customer_id
            LEFT JOIN moments o ON o.customer_id = coalesce(m.customer_id, p.customer_id)
        ),
        ranked AS (
            SELECT *,
                coalesce(sum(greatest(revenue, 0)) OVER (
                    ORDER BY revenue DESC, customer_id
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                / sum(greatest(revenue, 0)) OVER () AS share_before
            FROM joined
        )
        SELECT {", ".join(OUTPUT_COLUMNS[:-2])},
            CASE WHEN revenue <= 0 THEN 'C'
                 WHEN share_before < {ABC_BOUNDS[0]} THEN 'A'
                 WHEN share_before < {ABC_BOUNDS[1]} THEN 'B'
                 ELSE 'C' END AS abc,
            CASE WHEN cv IS NULL THEN 'Z'
                 WHEN cv <= {XYZ_BOUNDS[0]} THEN 'X'
                 WHEN cv <= {XYZ_BOUNDS[1]} THEN 'Y'
                 ELSE 'Z' END AS xyz
        FROM ranked ORDER BY customer_id
        ) TO {quote(out_csv)} (HEADER, DELIMITER ',')
        """
    )
    con.close()


RUNNERS = {"polars": run_polars, "duckdb": run_duckdb}


# ---------------------------------------------------------------- harness


def child_kamplan(binary: str, data_dir: str) -> None:
    """One timed run of the kamplan CLI; prints one JSON line for the parent."""
    start = time.perf_counter()
    subprocess.run(
        [binary, "classify", data_dir, "--out", "/tmp/dataframe_baseline_kamplan"],
        check=True, stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child's
    print(json.dumps({"wall": wall, "rss_kb": rss_kb}))


def child(library: str, data_dir: str) -> None:
    """One timed run in this process; prints one JSON line for the parent."""
    sales = os.path.join(data_dir, "sales", "sales.parquet")
    if not os.path.exists(sales):
        sales = os.path.join(data_dir, "sales", "sales.csv")
    customers_csv = os.path.join(data_dir, "customers.csv")
    out_csv = output_path(library)
    runner = RUNNERS[library]
    __import__(library)  # import outside the timed section
    start = time.perf_counter()
    runner(sales, customers_csv, out_csv)
    wall = time.perf_counter() - start
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"wall": wall, "rss_kb": rss_kb}))


def summarize(out_csv: str) -> dict:
    """Customer count, total window revenue and class counts of a result CSV."""
    import csv

    customers, revenue, classes = 0, 0.0, {}
    with open(out_csv, newline="") as f:
        for row in csv.DictReader(f):
            customers += 1
            revenue += float(row["revenue"])
            key = row["abc"] + row["xyz"]
            classes[key] = classes.get(key, 0) + 1
    return {"customers": customers, "revenue": revenue, "classes": classes}


def main(data_dir: str, kamplan: str | None) -> int:
    import duckdb
    import polars

    versions = {"polars": polars.__version__, "duckdb": duckdb.__version__}
    print(f"data: {data_dir}")
    print(f"python {sys.version.split()[0]}, cores {os.cpu_count()}, "
          + ", ".join(f"{k} {v}" for k, v in versions.items()))
    timed = LIBRARIES + (("kamplan",) if kamplan else ())
    if kamplan:
        versions["kamplan"] = "CLI"
    results: dict[str, list[dict]] = {lib: [] for lib in timed}
    for run in range(1, RUNS + 1):
        for lib in timed:
            args = ["--child-kamplan", os.path.abspath(kamplan)] if lib == "kamplan" else [
                "--child", lib]
            proc = subprocess.run(
                [sys.executable, os.path.abspath(__file__), *args, data_dir],
                capture_output=True, text=True,
            )
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return 1
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            results[lib].append(result)
            print(f"  run {run} {lib:<7} {result['wall']:6.2f} s  {result['rss_kb'] / 1024:6.0f} MB",
                  flush=True)

    print()
    print(f"{'library':<8} {'version':<8} {'wall min':>9} {'wall median':>12} {'peak RSS':>9}")
    for lib in timed:
        walls = [r["wall"] for r in results[lib]]
        rss = max(r["rss_kb"] for r in results[lib]) / 1024
        print(f"{lib:<8} {versions[lib]:<8} {min(walls):8.2f}s {statistics.median(walls):11.2f}s "
              f"{rss:6.0f} MB")

    print()
    sums = {lib: summarize(output_path(lib)) for lib in LIBRARIES}
    for lib in LIBRARIES:
        s = sums[lib]
        classes = " ".join(f"{k}={v}" for k, v in sorted(s["classes"].items()))
        print(f"{lib:<8} {s['customers']} customers, window revenue {s['revenue']:,.2f}, {classes}")
    a, b = (sums[lib] for lib in LIBRARIES)
    same_count = a["customers"] == b["customers"]
    close = abs(a["revenue"] - b["revenue"]) <= 1e-6 * max(abs(a["revenue"]), 1.0)
    same_classes = a["classes"] == b["classes"]
    print(f"check: same customer count {same_count}, revenue within 1e-6 {close}, "
          f"same ABC×XYZ counts {same_classes}")
    return 0 if same_count and close else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "--child-kamplan":
        child_kamplan(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 2:
        sys.exit(main(sys.argv[1], None))
    elif len(sys.argv) == 4 and sys.argv[2] == "--kamplan":
        sys.exit(main(sys.argv[1], sys.argv[3]))
    else:
        sys.exit(__doc__.split("How to run")[1])
