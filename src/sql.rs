//! The query that turns a warehouse's invoice lines into a kamplan aggregate
//! (docs/aggregate.md), in the SQL of each engine a client may run it on.
//!
//! The query does what reading the lines does before they reach the ledger
//! — trims ids, leaves out lines without a date, a customer or a revenue,
//! and amounts with more than 4 decimals, counting them by reason — and then
//! one GROUP BY per part of the aggregate. Dialects differ only in the few
//! expressions `Dialect` spells; everything else is written once.

use crate::ingest::aggregate::{COLUMNS, VERSION};
use crate::model::Date;
use std::fmt::Write as _;

/// An engine the query is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    DuckDb,
    Spark,
    BigQuery,
    Snowflake,
    Postgres,
}

impl Dialect {
    pub const ALL: [Dialect; 5] =
        [Dialect::DuckDb, Dialect::Spark, Dialect::BigQuery, Dialect::Snowflake, Dialect::Postgres];

    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Spark => "spark",
            Dialect::BigQuery => "bigquery",
            Dialect::Snowflake => "snowflake",
            Dialect::Postgres => "postgres",
        }
    }

    pub fn parse(name: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.name() == name.to_ascii_lowercase())
    }

    fn text(self) -> &'static str {
        match self {
            Dialect::BigQuery => "STRING",
            Dialect::Spark => "STRING",
            _ => "VARCHAR",
        }
    }

    fn whole(self) -> &'static str {
        match self {
            Dialect::BigQuery => "INT64",
            _ => "BIGINT",
        }
    }

    /// Exact amounts: 4 decimals, as kamplan keeps them.
    fn amount(self) -> &'static str {
        match self {
            Dialect::BigQuery => "BIGNUMERIC(38, 4)",
            Dialect::Snowflake => "NUMBER(38, 4)",
            Dialect::Postgres => "NUMERIC(38, 4)",
            _ => "DECIMAL(38, 4)",
        }
    }

    /// Amounts as read, with room to tell whether they have more than 4 decimals.
    fn wide_amount(self) -> &'static str {
        match self {
            Dialect::BigQuery => "BIGNUMERIC(38, 8)",
            Dialect::Snowflake => "NUMBER(38, 8)",
            Dialect::Postgres => "NUMERIC(38, 8)",
            _ => "DECIMAL(38, 8)",
        }
    }

    /// `expr` as `ty`, or NULL where it does not convert (a text column holding
    /// `n/a`, say). PostgreSQL has no such cast: its columns must convert.
    fn try_cast(self, expr: &str, ty: &str) -> String {
        match self {
            Dialect::BigQuery => format!("SAFE_CAST({expr} AS {ty})"),
            Dialect::Postgres => format!("CAST({expr} AS {ty})"),
            // Snowflake's TRY_CAST takes text only.
            Dialect::Snowflake => format!("TRY_CAST(CAST({expr} AS VARCHAR) AS {ty})"),
            _ => format!("TRY_CAST({expr} AS {ty})"),
        }
    }

    /// An id as text without the surrounding blanks (space, tab, line
    /// breaks, form feed) a reading of lines trims; empty becomes NULL.
    fn id(self, column: &str) -> String {
        let text = format!("CAST({column} AS {})", self.text());
        let blanks = match self {
            Dialect::BigQuery => "' \\t\\n\\r\\f'".to_string(),
            _ => "' ' || CHR(9) || CHR(10) || CHR(12) || CHR(13)".to_string(),
        };
        let trimmed = match self {
            Dialect::Spark | Dialect::Postgres => format!("TRIM(BOTH {blanks} FROM {text})"),
            _ => format!("TRIM({text}, {blanks})"),
        };
        format!("NULLIF({trimmed}, '')")
    }

    /// The first day of `date`'s month, as a date.
    fn month(self, date: &str) -> String {
        match self {
            Dialect::BigQuery => format!("DATE_TRUNC({date}, MONTH)"),
            Dialect::Spark => format!("TRUNC({date}, 'MM')"),
            _ => format!("CAST(DATE_TRUNC('month', {date}) AS DATE)"),
        }
    }
}

/// What to ask of the query.
#[derive(Clone, Debug)]
pub struct QueryOptions {
    /// The table or view of the lines, with the canonical column names.
    pub table: String,
    /// Lines after this date are left out (and counted): the project's `as_of`.
    pub through: Option<Date>,
    /// Optional columns the table does not have: cost, quantity,
    /// invoice_id, product_id, product_category.
    pub without: Vec<&'static str>,
}

/// The optional columns of the lines, and the name the aggregate's
/// `columns` row gives each (product_category has none: its rows say it).
pub const OPTIONAL_COLUMNS: [(&str, Option<&str>); 5] = [
    ("cost", Some("cost")),
    ("quantity", Some("quantity")),
    ("product_id", Some("product")),
    ("invoice_id", Some("invoice")),
    ("product_category", None),
];

/// The query, ready to run: one result set in the aggregate format.
pub fn query(dialect: Dialect, options: &QueryOptions) -> String {
    let d = dialect;
    let has = |c: &str| !options.without.contains(&c);
    let (text, whole, amount, wide) = (d.text(), d.whole(), d.amount(), d.wide_amount());
    let null = |ty: &str| format!("CAST(NULL AS {ty})");
    let optional_id = |c: &str| if has(c) { d.id(c) } else { null(text) };
    let optional_amount = |c: &str| if has(c) { d.try_cast(c, wide) } else { null(wide) };
    let columns: Vec<&str> =
        OPTIONAL_COLUMNS.iter().filter(|(c, _)| has(c)).filter_map(|(_, n)| *n).collect();
    let through = options.through.map(|t| format!("DATE '{t}'"));
    let exact = |c: &str| format!("{c} = ROUND({c}, 4)");

    let mut q = String::new();
    let _ = writeln!(
        q,
        "-- kamplan sales aggregate, format {VERSION} (docs/aggregate.md), for {}.\n-- Reads the lines from {}; returns one result set to save as Parquet or CSV.",
        d.name(),
        options.table
    );
    // Each value as trimmed text too: one that is there but does not
    // convert is not a missing one.
    let mut src = vec![
        format!("{} AS date_text", d.id("date")),
        format!("{} AS date", d.try_cast("date", "DATE")),
        format!("{} AS customer_id", d.id("customer_id")),
    ];
    for c in ["invoice_id", "product_id", "product_category"] {
        src.push(format!("{} AS {c}", optional_id(c)));
    }
    for c in ["revenue", "quantity", "cost"] {
        src.push(format!("{} AS {c}_text", optional_id(c)));
        src.push(format!("{} AS {c}", optional_amount(c)));
    }
    let _ = writeln!(
        q,
        "WITH src AS (\n  SELECT\n    {}\n  FROM {}\n),",
        src.join(",\n    "),
        options.table
    );
    // In the order a reading of lines meets them.
    let mut reasons = vec![
        ("date_text IS NULL".to_string(), "date/missing"),
        ("date IS NULL".into(), "date/invalid"),
        ("customer_id IS NULL".into(), "customer_id/missing"),
        ("revenue_text IS NULL".into(), "revenue/missing"),
        ("revenue IS NULL".into(), "revenue/invalid"),
        (format!("NOT {}", exact("revenue")), "revenue/decimals"),
    ];
    for (c, invalid, decimals) in [
        ("quantity", "quantity/invalid", "quantity/decimals"),
        ("cost", "cost/invalid", "cost/decimals"),
    ] {
        if has(c) {
            reasons.push((format!("{c}_text IS NOT NULL AND {c} IS NULL"), invalid));
            reasons.push((format!("NOT {}", exact(c)), decimals));
        }
    }
    // Sales after today cannot be: a reading of lines rejects them. The
    // aggregate keeps a month as one row, so it must not hold them.
    reasons.push(("date > CURRENT_DATE".into(), "date/future"));
    if let Some(t) = &through {
        reasons.push((format!("date > {t}"), "date/after_through"));
    }
    let _ = writeln!(q, "checked AS (\n  SELECT src.*,\n    CASE");
    for (condition, key) in &reasons {
        let _ = writeln!(q, "      WHEN {condition} THEN '{key}'");
    }
    let _ = writeln!(q, "    END AS excluded,");
    let _ = writeln!(
        q,
        "    CASE WHEN {} THEN CAST(revenue AS {amount}) END AS revenue4\n  FROM src\n),",
        exact("revenue")
    );
    let _ = writeln!(
        q,
        "ok AS (\n  SELECT date, {month} AS month, CAST(POWER(2, EXTRACT(DAY FROM date) - 1) AS {whole}) AS day_bit, customer_id, invoice_id, product_id, product_category,\n    CAST(revenue AS {amount}) AS revenue, CAST(cost AS {amount}) AS cost, CAST(quantity AS {amount}) AS quantity\n  FROM checked WHERE excluded IS NULL\n),",
        month = d.month("date"),
    );
    // Each customer's first day and its lines, whose revenue the spend model leaves out.
    let _ = writeln!(
        q,
        "first_days AS (\n  SELECT customer_id AS first_customer, MIN(date) AS first_date\n  FROM ok GROUP BY customer_id\n),\nfirst_lines AS (\n  SELECT ok.customer_id, ok.date, ok.revenue\n  FROM ok JOIN first_days ON ok.customer_id = first_days.first_customer AND ok.date = first_days.first_date\n),"
    );
    let _ = writeln!(
        q,
        "firsts AS (\n  SELECT DISTINCT 'invoice' AS kind, customer_id, invoice_id AS id, month\n  FROM ok WHERE invoice_id IS NOT NULL\n),"
    );
    let _ = writeln!(
        q,
        "starts AS (\n  SELECT kind, customer_id, id, month,\n    LAG(month) OVER (PARTITION BY kind, customer_id, id ORDER BY month) AS prev_month\n  FROM firsts\n),"
    );

    // Each part lists every column, in order, NULL where it has nothing.
    let types = |c: &str| match c {
        "date" | "prev_month" => "DATE",
        "lines" | "lines_without_cost" | "days" | "days_without_invoice" | "n" => whole,
        c if c.starts_with("revenue") || c.starts_with("cost") || c.starts_with("quantity") => {
            amount
        }
        _ => text,
    };
    let part = |values: &[(&str, String)], rest: &str| {
        let list: Vec<String> = COLUMNS
            .iter()
            .map(|c| match values.iter().find(|(name, _)| name == c) {
                Some((_, v)) => format!("CAST({v} AS {}) AS {c}", types(c)),
                None => format!("{} AS {c}", null(types(c))),
            })
            .collect();
        format!("  SELECT {}\n  {rest}", list.join(", "))
    };
    let count_if = |condition: &str| format!("SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)");
    let abs_sum = |c: &str| format!("SUM(ABS(COALESCE({c}, 0)))");
    let body = [
        part(
            &[
                ("kind", "'month'".into()),
                ("customer_id", "customer_id".into()),
                ("date", "month".into()),
                ("lines", "COUNT(*)".into()),
                ("lines_without_cost", count_if("cost IS NULL")),
                // The days with a line as bits (bit d - 1 for day d), and those with a line without invoice.
                ("days", "SUM(DISTINCT day_bit)".into()),
                (
                    "days_without_invoice",
                    "COALESCE(SUM(DISTINCT CASE WHEN invoice_id IS NULL THEN day_bit END), 0)"
                        .into(),
                ),
                ("revenue", "SUM(revenue)".into()),
                ("cost", "SUM(COALESCE(cost, 0))".into()),
                ("quantity", "SUM(COALESCE(quantity, 0))".into()),
                ("revenue_abs", abs_sum("revenue")),
                ("cost_abs", abs_sum("cost")),
                ("quantity_abs", abs_sum("quantity")),
            ],
            "FROM ok GROUP BY customer_id, month",
        ),
        part(
            &[
                ("kind", "'category'".into()),
                ("customer_id", "customer_id".into()),
                ("date", "month".into()),
                ("key", "product_category".into()),
                ("lines", "COUNT(*)".into()),
                ("revenue", "SUM(revenue)".into()),
            ],
            "FROM ok WHERE product_category IS NOT NULL GROUP BY customer_id, month, product_category",
        ),
        part(
            &[
                ("kind", "'product'".into()),
                ("customer_id", "customer_id".into()),
                ("date", "month".into()),
                ("key", "product_id".into()),
                ("lines", "COUNT(*)".into()),
                ("revenue", "SUM(revenue)".into()),
                ("quantity", "SUM(COALESCE(quantity, 0))".into()),
            ],
            "FROM ok WHERE product_id IS NOT NULL GROUP BY customer_id, month, product_id",
        ),
        part(
            &[
                ("kind", "kind".into()),
                ("customer_id", "customer_id".into()),
                ("date", "month".into()),
                ("prev_month", "prev_month".into()),
                ("n", "COUNT(*)".into()),
            ],
            "FROM starts GROUP BY kind, customer_id, month, prev_month",
        ),
        part(
            &[
                ("kind", "'first'".into()),
                ("customer_id", "customer_id".into()),
                ("date", "date".into()),
                ("revenue", "SUM(revenue)".into()),
            ],
            "FROM first_lines GROUP BY customer_id, date",
        ),
        part(
            &[
                ("kind", "'excluded'".into()),
                ("key", "excluded".into()),
                ("lines", "COUNT(*)".into()),
                ("revenue", "SUM(revenue4)".into()),
            ],
            "FROM checked WHERE excluded IS NOT NULL GROUP BY excluded",
        ),
    ];
    let _ = writeln!(q, "body AS (\n{}\n)", body.join("\n  UNION ALL\n"));

    let format_row = |key: &str, value: String| {
        part(&[("kind", "'format'".into()), ("key", format!("'{key}'")), ("value", value)], "")
    };
    let total = |key: &str, n: &str, from: &str| {
        part(&[("kind", "'total'".into()), ("key", format!("'{key}'")), ("n", n.into())], from)
    };
    let distinct = |column: &str, kind: &str| {
        format!(
            "(SELECT COUNT(*) FROM (SELECT DISTINCT customer_id, id FROM firsts WHERE kind = '{kind}') AS d_{column})"
        )
    };
    let mut lines_total = part(
        &[
            ("kind", "'total'".into()),
            ("key", "'lines'".into()),
            ("n", "COUNT(*)".into()),
            ("revenue", "SUM(revenue4)".into()),
        ],
        "FROM checked",
    );
    lines_total = lines_total.trim_end().to_string();
    let tail = [
        format_row("version", format!("'{VERSION}'")),
        format_row("columns", format!("'{}'", columns.join(","))),
        format_row(
            "through",
            options.through.map_or_else(|| "''".to_string(), |t| format!("'{t}'")),
        ),
        total("rows", "(SELECT COUNT(*) FROM body)", ""),
        lines_total,
        total("invoices", &distinct("invoices", "invoice"), ""),
        total("customers", "(SELECT COUNT(DISTINCT customer_id) FROM ok)", ""),
    ];
    let order = "CASE kind WHEN 'format' THEN 0 WHEN 'total' THEN 2 ELSE 1 END";
    let _ = writeln!(
        q,
        "SELECT * FROM (\n  SELECT * FROM body\n  UNION ALL\n{}\n) AS aggregate_rows\nORDER BY {order}, customer_id NULLS FIRST, date NULLS FIRST, kind, prev_month NULLS FIRST, key NULLS FIRST;",
        tail.map(|t| t.trim_end().to_string()).join("\n  UNION ALL\n")
    );
    q
}
