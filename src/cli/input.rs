//! The options every command that reads a project shares: the project
//! folder or bare files, column mappings, the period and the output folder.

use clap::{Args, ValueEnum};
use kamplan::config::dialect::OnBadRow;
use kamplan::config::project::{
    CsvStyle, Engagement, PeriodSpec, Project, SourceForm, SourceSpec, load_project,
};
use kamplan::diagnostic::Diagnostics;
use kamplan::locale::Locale;
use kamplan::model::Date;
use kamplan::model::fields::{CanonicalField, MasterField, SalesField};
use std::path::PathBuf;

#[derive(Args)]
pub struct InputArgs {
    /// Project folder holding kamplan.toml [default: current folder].
    project: Option<PathBuf>,
    /// Sales file or folder to read without a project (default rules, detected dialect).
    #[arg(long, value_name = "PATH")]
    sales: Option<PathBuf>,
    /// Sales aggregate to read without a project: the result of `kamplan sql` (docs/aggregate.md).
    #[arg(long, value_name = "FILE", conflicts_with = "sales")]
    sales_aggregate: Option<PathBuf>,
    /// Customers master to read without a project (with --sales or --sales-aggregate).
    #[arg(long, value_name = "PATH")]
    customers: Option<PathBuf>,
    /// Map a column header to a field, e.g. "Importo netto=revenue" (repeatable).
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    maps: Vec<String>,
    /// Analysis date (YYYY-MM-DD) [default: last day of the month of the latest sale].
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Months in the analysis window [default: 12].
    #[arg(long, value_name = "N")]
    months: Option<u32>,
    /// Output folder [default: the project's out/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Form of the CSV tables: standard (`,`, decimal point) or excel (the spreadsheet dialect of the locale: `;` and decimal comma in Italian) [default: the project's [output] csv, else standard].
    #[arg(long, value_enum, value_name = "FORM")]
    csv: Option<CsvArg>,
    /// Worker threads [default: number of cores].
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Stop at the first unreadable sales line instead of rejecting it.
    #[arg(long)]
    fail_on_bad_row: bool,
    /// Language of the documents: en or it [default: the project's locale, else en].
    #[arg(long, value_name = "CODE")]
    locale: Option<String>,
    /// Print nothing but errors.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print what was read and how long each step took.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum CsvArg {
    Standard,
    Excel,
}

impl InputArgs {
    /// Worker threads to use: `-j`, capped (see [`workers`]).
    pub fn workers(&self) -> usize {
        workers(self.jobs, self.quiet)
    }

    /// The project from kamplan.toml, or from bare files, with the command-line overrides applied.
    pub fn project(&self) -> Result<Project, Diagnostics> {
        let args = self;
        let mut project = match (&args.sales, &args.sales_aggregate) {
            (Some(_), _) | (_, Some(_)) if args.project.is_some() => {
                return Err(
                    "give either a project folder or --sales (or --sales-aggregate), not both"
                        .into(),
                );
            }
            (Some(sales), _) => bare_project(sales.clone(), args.customers.clone()),
            (_, Some(aggregate)) => {
                let mut project = bare_project(aggregate.clone(), args.customers.clone());
                project.sales.form = SourceForm::Aggregate;
                project
            }
            (None, None) if args.customers.is_some() => {
                return Err(
                    "--customers reads a master beside --sales or --sales-aggregate; a project names its master in kamplan.toml".into(),
                );
            }
            (None, None) => {
                let dir = args.project.clone().unwrap_or_else(|| PathBuf::from("."));
                load_project(&dir)?
            }
        };
        for map in &args.maps {
            apply_map(&mut project, map)?;
        }
        if let Some(as_of) = &args.as_of {
            project.period.as_of = Some(date_option("--as-of", as_of)?);
        }
        if let Some(months) = args.months {
            if !(1..=120).contains(&months) {
                return Err(format!("--months {months}: expected 1 to 120").into());
            }
            project.period.months = months;
        }
        if let Some(out) = &args.out {
            project.out_dir = out.clone();
        }
        if let Some(csv) = args.csv {
            project.csv = match csv {
                CsvArg::Standard => CsvStyle::Standard,
                CsvArg::Excel => CsvStyle::Excel,
            };
        }
        if args.fail_on_bad_row {
            project.on_bad_row = OnBadRow::Fail;
        }
        if let Some(code) = &args.locale {
            project.locale = Locale::parse(code)
                .ok_or_else(|| format!("--locale {code}: expected one of {}", Locale::codes()))?;
        }
        Ok(project)
    }
}

/// Worker threads for `-j N` (default: one per core). More threads than
/// [`JOBS_PER_CORE`] per core only cost memory (each holds its own buffers
/// and document state), so a larger value is capped, with a note.
pub fn workers(jobs: Option<usize>, quiet: bool) -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let limit = cores * JOBS_PER_CORE;
    match jobs {
        None => cores,
        Some(n) if n > limit => {
            if !quiet {
                eprintln!(
                    "note: -j {n} is more than {JOBS_PER_CORE} × the {cores} cores of this machine; using {limit} worker threads"
                );
            }
            limit
        }
        Some(n) => n.max(1),
    }
}

/// Worker threads allowed per core.
pub const JOBS_PER_CORE: usize = 4;

/// The value of a date option (`--as-of 2025-06-30`), or a message naming
/// the option and what is wrong with the date.
pub fn date_option(option: &str, text: &str) -> Result<Date, String> {
    Date::parse_iso_explained(text).map_err(|why| format!("{option} {text}: {why}"))
}

/// The value of `--locale`.
pub fn parse_locale(code: &str) -> Result<Locale, String> {
    Locale::parse(code)
        .ok_or_else(|| format!("--locale {code}: expected one of {}", Locale::codes()))
}

fn bare_project(sales: PathBuf, customers: Option<PathBuf>) -> Project {
    let name = sales.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Project {
        root: PathBuf::from("."),
        name,
        currency: "EUR".into(),
        locale: Locale::default(),
        period: PeriodSpec::default(),
        sales: SourceSpec::detected(sales),
        customers: customers.map(SourceSpec::detected),
        on_bad_row: OnBadRow::Reject,
        out_dir: PathBuf::from("out"),
        csv: CsvStyle::Standard,
        rules_dir: None,
        accounts_dir: None,
        engagement: Engagement::default(),
        brand: Default::default(),
        previous_plan: None,
        forecast: Default::default(),
    }
}

/// Applies `HEADER=FIELD` to the sales mapping, the master mapping, or both (customer_id).
fn apply_map(project: &mut Project, map: &str) -> Result<(), String> {
    let (header, field) =
        map.rsplit_once('=').ok_or_else(|| format!("--map {map:?}: expected HEADER=FIELD"))?;
    let (header, field) = (header.trim().to_string(), field.trim());
    let sales = SalesField::from_name(field);
    let master = MasterField::from_name(field);
    if sales.is_none() && master.is_none() {
        let names: Vec<&str> = SalesField::ALL
            .iter()
            .map(|f| f.name())
            .chain(MasterField::ALL.iter().map(|f| f.name()))
            .collect();
        let hint = kamplan::diagnostic::name_hint(
            kamplan::model::fields::closest(field, names.iter().copied()),
            || format!("known fields: {}", names.join(", ")),
        );
        return Err(format!("--map {map:?}: unknown field \"{field}\"; {hint}"));
    }
    let place = kamplan::config::project::MappedAt::Option(format!("--map {map:?}"));
    if let Some(f) = sales {
        project.sales.columns.push((header.clone(), f));
        project.sales.mapped_at.insert(header.clone(), place.clone());
    }
    if let (Some(f), Some(customers)) = (master, project.customers.as_mut()) {
        customers.columns.push((header.clone(), f));
        customers.mapped_at.insert(header, place);
    }
    Ok(())
}
