"""Runs a query on a warehouse engine and saves its result set as a CSV or
Parquet file: how the aggregate tests and benchmarks stand in for a client's
warehouse (the query `kamplan sql` printed), and how the Parquet tests make
the typed exports a warehouse writes (a query that casts and renames).

usage: run_query.py ENGINE QUERY.sql IN.csv[,IN.csv...] OUT.(csv|parquet) [TABLE]

ENGINE is duckdb, spark or postgres. DuckDB and Spark load the files as
text, every column, into the table TABLE (default sales_lines), as a CSV
export lands in a warehouse before it is typed, and the query does the
typing. DuckDB writes Parquet in row groups of 2048 rows, so that even a
small file has several; Spark writes a folder of parts. PostgreSQL,
which has no conversion that gives NULL for a bad value, loads them into
typed columns; it is reached through psql and the usual PG* variables.
"""

import sys


def duckdb_run(query, inputs, out, table):
    import duckdb

    con = duckdb.connect()
    files = "[" + ", ".join(f"'{f}'" for f in inputs) + "]"
    con.execute(
        f"CREATE TABLE {table} AS SELECT * FROM read_csv({files}, all_varchar = true, header = true)"
    )
    form = (
        "(FORMAT parquet, ROW_GROUP_SIZE 2048)"
        if out.endswith(".parquet")
        else "(HEADER, DELIMITER ',')"
    )
    con.execute(f"COPY ({query}) TO '{out}' {form}")


def spark_run(query, inputs, out, table):
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("kamplan-aggregate")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    # RFC 4180 quoting: a quote inside a quoted field is doubled.
    lines = spark.read.option("header", "true").option("escape", '"').csv(inputs)
    lines.createOrReplaceTempView(table)
    rows = spark.sql(query)
    if out.endswith(".parquet"):
        # As Spark writes it: a folder of parts, with its marker files.
        rows.write.mode("overwrite").parquet(out)
    else:
        import csv

        with open(out, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(rows.columns)
            for row in rows.collect():
                w.writerow(["" if v is None else str(v) for v in row])
    spark.stop()


def postgres_run(query, inputs, out, table):
    assert table == "sales_lines", "PostgreSQL loads sales lines only"
    import subprocess

    def psql(sql, **kw):
        return subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
            check=True, capture_output=True, text=True, **kw
        ).stdout

    psql(
        "DROP TABLE IF EXISTS sales_lines; CREATE TABLE sales_lines (date DATE, invoice_id TEXT,"
        " customer_id TEXT, product_id TEXT, product_category TEXT, quantity NUMERIC,"
        " revenue NUMERIC, cost NUMERIC)"
    )
    for f in inputs:
        header = open(f).readline().strip()
        psql(f"\\copy sales_lines ({header}) FROM '{f}' WITH (FORMAT csv, HEADER)")
    with open(out, "w") as f:
        f.write(psql(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)"))


def main():
    engine, query_file, inputs, out = sys.argv[1:5]
    table = sys.argv[5] if len(sys.argv) > 5 else "sales_lines"
    query = open(query_file).read().strip().rstrip(";")
    inputs = inputs.split(",")
    run = {"duckdb": duckdb_run, "spark": spark_run, "postgres": postgres_run}[engine]
    run(query, inputs, out, table)


if __name__ == "__main__":
    main()
