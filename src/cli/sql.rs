//! `kamplan sql`: prints the query that makes a sales aggregate in a
//! client's warehouse (docs/aggregate.md, docs/warehouse.md).

use clap::{Args, ValueEnum};
use kamplan::config::project::load_project;
use kamplan::diagnostic::Diagnostics;
use kamplan::model::Date;
use kamplan::sql::{Dialect, OPTIONAL_COLUMNS, QueryOptions, query};
use std::path::PathBuf;

/// Print the SQL that aggregates the sales lines in a warehouse.
///
/// The query reads a table or view with the canonical column names (date,
/// customer_id, revenue, and where the data has them invoice_id, product_id,
/// product_category, quantity, cost) and returns one result set: save it as
/// Parquet or CSV and set `[sales] kind = "aggregate"`.
///
/// Examples:
///   kamplan sql --dialect snowflake > aggregate.sql
///   kamplan sql --dialect bigquery --table sales.invoice_lines --without quantity my-project
#[derive(Args)]
#[command(verbatim_doc_comment)]
pub struct SqlArgs {
    /// Project folder whose as_of sets --through [default: the current folder, if it is one].
    project: Option<PathBuf>,
    /// The warehouse's SQL dialect.
    #[arg(long, value_enum)]
    dialect: DialectArg,
    /// Table or view of the sales lines.
    #[arg(long, value_name = "NAME", default_value = "sales_lines")]
    table: String,
    /// Leave out lines after this date (YYYY-MM-DD), counted apart [default: the project's as_of].
    #[arg(long, value_name = "DATE")]
    through: Option<String>,
    /// Optional columns the table does not have, comma-separated: cost, quantity, invoice_id, product_id, product_category.
    #[arg(long, value_name = "COLUMNS", value_delimiter = ',')]
    without: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum DialectArg {
    Duckdb,
    Spark,
    Bigquery,
    Snowflake,
    Postgres,
}

pub fn run(args: SqlArgs) -> Result<(), Diagnostics> {
    let dialect = match args.dialect {
        DialectArg::Duckdb => Dialect::DuckDb,
        DialectArg::Spark => Dialect::Spark,
        DialectArg::Bigquery => Dialect::BigQuery,
        DialectArg::Snowflake => Dialect::Snowflake,
        DialectArg::Postgres => Dialect::Postgres,
    };
    let through = match &args.through {
        Some(text) => Some(super::input::date_option("--through", text)?),
        None => project_as_of(args.project.as_ref())?,
    };
    let mut without = Vec::new();
    for name in args.without.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let known = OPTIONAL_COLUMNS.iter().map(|(c, _)| *c).find(|c| *c == name);
        let Some(column) = known else {
            let names: Vec<&str> = OPTIONAL_COLUMNS.iter().map(|(c, _)| *c).collect();
            return Err(format!(
                "--without {name}: expected some of {} (date, customer_id and revenue are needed)",
                names.join(", ")
            )
            .into());
        };
        without.push(column);
    }
    let table = args.table.trim();
    if table.is_empty() || table.contains(';') {
        return Err(format!("--table {:?}: expected a table or view name", args.table).into());
    }
    super::emit(&query(dialect, &QueryOptions { table: table.to_string(), through, without }));
    Ok(())
}

/// The as_of of the project named, or of the current folder when it is one.
fn project_as_of(project: Option<&PathBuf>) -> Result<Option<Date>, Diagnostics> {
    let dir = match project {
        Some(dir) => dir.clone(),
        None if std::path::Path::new(kamplan::config::project::PROJECT_FILE).is_file() => {
            PathBuf::from(".")
        }
        None => return Ok(None),
    };
    Ok(load_project(&dir)?.period.as_of)
}
