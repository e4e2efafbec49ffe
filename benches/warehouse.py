"""The warehouse path at scale: DuckDB turns a sales-lines CSV into a
Parquet lake, then runs `kamplan sql --dialect duckdb` over it and saves the
aggregate as Parquet; prints the row counts, sizes and times. Then time
kamplan on the aggregate against kamplan on the lines (docs/performance.md).

usage: python benches/warehouse.py LINES.csv OUT_DIR [KAMPLAN]
"""

import os
import subprocess
import sys
import time

import duckdb


def main():
    lines, out = sys.argv[1], sys.argv[2]
    kamplan = sys.argv[3] if len(sys.argv) > 3 else "target/release/kamplan"
    os.makedirs(out, exist_ok=True)
    lake = os.path.join(out, "lines.parquet")
    aggregate = os.path.join(out, "aggregate.parquet")
    con = duckdb.connect()
    if not os.path.exists(lake):
        start = time.time()
        con.execute(
            f"""COPY (SELECT CAST(date AS DATE) AS date, invoice_id, customer_id, product_id,
                     product_category, CAST(quantity AS DECIMAL(18, 4)) AS quantity,
                     CAST(revenue AS DECIMAL(18, 4)) AS revenue, CAST(cost AS DECIMAL(18, 4)) AS cost
              FROM read_csv('{lines}', all_varchar = true))
              TO '{lake}' (FORMAT parquet)"""
        )
        print(f"lake: {os.path.getsize(lake) / 1e6:.0f} MB written in {time.time() - start:.1f} s")
    query = subprocess.run(
        [kamplan, "sql", "--dialect", "duckdb"], check=True, capture_output=True, text=True
    ).stdout.strip().rstrip(";")
    con.execute(f"CREATE OR REPLACE VIEW sales_lines AS SELECT * FROM '{lake}'")
    start = time.time()
    con.execute(f"COPY ({query}) TO '{aggregate}' (FORMAT parquet)")
    took = time.time() - start
    (n_lines,) = con.execute("SELECT COUNT(*) FROM sales_lines").fetchone()
    (n_rows,) = con.execute(f"SELECT COUNT(*) FROM '{aggregate}'").fetchone()
    print(
        f"aggregate: {n_lines:,} lines -> {n_rows:,} rows ({n_rows / n_lines:.3f} per line), "
        f"{os.path.getsize(aggregate) / 1e6:.1f} MB, made by DuckDB in {took:.1f} s"
    )
    for kind, n in con.execute(f"SELECT kind, COUNT(*) FROM '{aggregate}' GROUP BY kind ORDER BY 2 DESC").fetchall():
        print(f"  {kind}: {n:,}")


if __name__ == "__main__":
    main()
