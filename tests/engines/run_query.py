"""Runs the query `kamplan sql` printed on a warehouse engine and saves its
result set as a CSV or Parquet file: how the aggregate tests and benchmarks
stand in for a client's warehouse.

usage: run_query.py ENGINE QUERY.sql LINES.csv[,LINES.csv...] OUT.(csv|parquet)

ENGINE is duckdb, spark or postgres. DuckDB and Spark load the lines as
text, every column, into the table sales_lines, as a CSV export lands in a
warehouse before it is typed, and the query does the typing. PostgreSQL,
which has no conversion that gives NULL for a bad value, loads them into
typed columns; it is reached through psql and the usual PG* variables.
"""

import sys


def duckdb_run(query, inputs, out):
    import duckdb

    con = duckdb.connect()
    files = "[" + ", ".join(f"'{f}'" for f in inputs) + "]"
    con.execute(
        f"CREATE TABLE sales_lines AS SELECT * FROM read_csv({files}, all_varchar = true, header = true)"
    )
    form = "(FORMAT parquet)" if out.endswith(".parquet") else "(HEADER, DELIMITER ',')"
    con.execute(f"COPY ({query}) TO '{out}' {form}")


def spark_run(query, inputs, out):
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
    lines = spark.read.option("header", "true").csv(inputs)
    lines.createOrReplaceTempView("sales_lines")
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


def postgres_run(query, inputs, out):
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
    query = open(query_file).read().strip().rstrip(";")
    inputs = inputs.split(",")
    {"duckdb": duckdb_run, "spark": spark_run, "postgres": postgres_run}[engine](query, inputs, out)


if __name__ == "__main__":
    main()
