//! Deterministic generator of realistic B2B wholesale data.
//!
//! `write_sample_project` writes a complete kamplan project (project file, sales
//! exports, customer master) for a wholesaler of tools and supplies. It serves as the
//! committed example data and as the benchmark input, so the same spec and seed always
//! give byte-identical files (the random source and its math are our own, see `rng`).
//!
//! The data contains every case the classifier must handle: a lognormal spread of
//! customer sizes, seasonality, regular and irregular buyers, churned, new and
//! prospect customers, customers missing from the master, credit notes, lines and
//! customers with negative margin, and names that need CSV quoting.

mod catalog;
mod master;
mod names;
mod profile;
mod rng;
mod sales;
mod text;
mod world;

#[cfg(test)]
mod tests;

use std::fs;
use std::io;
use std::path::Path;

use crate::model::MonthIndex;

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleSpec {
    /// Customers in the master (a couple more appear only in the sales).
    pub customers: usize,
    /// Months of history.
    pub months: u32,
    /// Seed of every random choice.
    pub seed: u64,
    /// Last month of history.
    pub last_month: MonthIndex,
    /// If set, purchase intensity is scaled so the total line count is about this
    /// (within a few percent); otherwise about 100 lines per customer per 30 months.
    pub target_lines: Option<u64>,
    /// One `sales/sales.csv` instead of one `sales/YYYY-MM.csv` per month.
    pub single_file: bool,
}

impl SampleSpec {
    /// A spec with history ending June 2025, the default volume and monthly files.
    pub fn new(customers: usize, months: u32, seed: u64) -> Self {
        SampleSpec {
            customers,
            months,
            seed,
            last_month: 2025 * 12 + 5,
            target_lines: None,
            single_file: false,
        }
    }
}

/// Most months of history a sample may have (50 years).
pub const MAX_MONTHS: u32 = 600;
/// Most customers a sample may have.
pub const MAX_CUSTOMERS: usize = 1_000_000;
/// Most sales lines a sample may aim for (about 7 GB of CSV).
pub const MAX_LINES: u64 = 100_000_000;
/// The earliest month of history: January 1900.
pub const FIRST_SUPPORTED_MONTH: MonthIndex = 1900 * 12;
/// The latest month of history: December 9999.
pub const LAST_SUPPORTED_MONTH: MonthIndex = 9999 * 12 + 11;

impl SampleSpec {
    /// Checks the spec against the limits above, which keep the generator's
    /// memory, time and output bounded: a message naming the option and the
    /// limit, or `Ok`.
    pub fn check(&self) -> Result<(), String> {
        use crate::model::date::format_month;
        if self.months > MAX_MONTHS {
            return Err(format!(
                "--months {}: at most {MAX_MONTHS} months (50 years) of history",
                self.months
            ));
        }
        if self.customers > MAX_CUSTOMERS {
            return Err(format!(
                "--customers {}: at most {MAX_CUSTOMERS} customers",
                self.customers
            ));
        }
        let last = self.last_month;
        if !(FIRST_SUPPORTED_MONTH..=LAST_SUPPORTED_MONTH).contains(&last) {
            return Err(format!(
                "--last-month {}: expected a month from {} to {}",
                format_month(last),
                format_month(FIRST_SUPPORTED_MONTH),
                format_month(LAST_SUPPORTED_MONTH)
            ));
        }
        let first = last - self.months.saturating_sub(1) as MonthIndex;
        if first < FIRST_SUPPORTED_MONTH {
            return Err(format!(
                "--last-month {} with --months {}: the history would start in {}, before {}; give a later --last-month or fewer --months",
                format_month(last),
                self.months,
                format_month(first),
                format_month(FIRST_SUPPORTED_MONTH)
            ));
        }
        let lines = self.target_lines.unwrap_or_else(|| world::default_lines(self).round() as u64);
        if lines > MAX_LINES {
            let what = match self.target_lines {
                Some(lines) => format!("--lines {lines}"),
                None => format!(
                    "--customers {} with --months {} (about {lines} sales lines)",
                    self.customers, self.months
                ),
            };
            return Err(format!(
                "{what}: at most {MAX_LINES} sales lines; give fewer customers, months or --lines"
            ));
        }
        Ok(())
    }
}

/// What was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleSummary {
    /// Rows of `customers.csv`.
    pub customers: usize,
    /// Sales lines over all sales files (headers not counted).
    pub lines: u64,
    /// Files written: `kamplan.toml`, `customers.csv` and the sales files.
    pub files: usize,
    /// Total size of those files.
    pub bytes: u64,
}

/// Writes a sample project into `dir` (created if needed): `kamplan.toml`,
/// `customers.csv` and the sales exports under `sales/`.
///
/// Existing files of the same names are overwritten; other files are left alone, so
/// a folder holding monthly files from a longer earlier run keeps the extra months.
pub fn write_sample_project(spec: &SampleSpec, dir: &Path) -> io::Result<SampleSummary> {
    spec.check().map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))?;
    refuse_links_out(dir).map_err(io::Error::other)?;
    let sales_dir = dir.join("sales");
    fs::create_dir_all(&sales_dir)?;
    let world = world::World::build(spec);
    let sales = sales::write_sales(&world, &sales_dir, spec.single_file)?;
    let customers_path = dir.join("customers.csv");
    master::write_customers(&world, &sales.totals, &customers_path)?;
    let project_path = dir.join("kamplan.toml");
    fs::write(&project_path, project_file(spec.single_file))?;

    let mut files = sales.files;
    files.push(customers_path);
    files.push(project_path);
    let mut bytes = 0;
    for file in &files {
        bytes += fs::metadata(file)?.len();
    }
    Ok(SampleSummary {
        customers: world.master_count,
        lines: sales.lines,
        files: files.len(),
        bytes,
    })
}

/// Stops before anything is written when a file or folder the sample would
/// write is a symbolic link leading out of `dir` (an existing project may
/// hold such links): the sample never overwrites a file elsewhere.
pub fn refuse_links_out(dir: &Path) -> Result<(), String> {
    let sales = dir.join("sales");
    let mut paths: Vec<std::path::PathBuf> =
        ["kamplan.toml", "customers.csv"].iter().map(|p| dir.join(p)).collect();
    if let Ok(entries) = fs::read_dir(&sales) {
        paths.extend(entries.flatten().map(|e| e.path()));
    }
    paths.push(sales);
    for path in paths {
        crate::links::resolve(&path, dir, &[dir])?;
    }
    Ok(())
}

/// The project file, pointing at the sales folder or the single sales file.
fn project_file(single_file: bool) -> String {
    let sales_path = if single_file { r#""sales/sales.csv" "# } else { r#""sales"           "# };
    format!(
        r#"# A kamplan project: where the data is and how to read it.
# Generated by `kamplan sample`; edit freely.

[project]
name = "Sample wholesale"
currency = "EUR"
months = 12
# as_of = "2025-06-30"   # default: last day of the month of the latest sale

[sales]
path = {sales_path}# a file, or a folder of exports read as one data set

[customers]
path = "customers.csv"
"#
    )
}
