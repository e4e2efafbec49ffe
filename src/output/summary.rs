//! The short human summary printed after `classify`.

use crate::analysis::quality::DataQuality;
use crate::classify::facts::Fact;
use crate::classify::{ClassKind, ClassificationInfo, Portfolio};
use crate::config::dialect::{Decimal, Encoding};
use crate::ingest::sniff::Decided;
use crate::ingest::{FileReport, Note, SalesData};
use crate::model::Amount;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Figures of the summary: exact amounts with English separators.
pub use crate::locale::format::grouped;

/// What the summary reports on.
pub struct SummaryInput<'a> {
    pub title: &'a str,
    pub currency: &'a str,
    pub rules: &'a str,
    pub sales: &'a SalesData,
    pub master_customers: Option<usize>,
    pub portfolio: &'a Portfolio,
    /// The data-quality checks of the run.
    pub quality: &'a DataQuality,
    pub written: &'a [String],
}

/// Renders the summary as plain text.
pub fn summary_text(input: &SummaryInput<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", input.title);
    let window = reading_lines(input, &mut out);
    classes_lines(input, window, &mut out);
    rule_lines(input.portfolio, &mut out);
    forecast_lines(input.portfolio, input.currency, &mut out);
    out.push_str(&quality_lines(input.quality, input.currency));
    for path in input.written {
        let _ = writeln!(out, "  wrote      {path}");
    }
    out
}

/// The period, the rules, what was read and the revenue it holds; returns
/// the window's revenue in cents, the base of the class shares.
fn reading_lines(input: &SummaryInput<'_>, out: &mut String) -> i128 {
    let p = input.portfolio;
    let period = &p.period;
    let (prev_first, prev_last) = period.previous();
    let money = |units: i128| format!("{} {}", input.currency, grouped(units));
    let _ = writeln!(
        out,
        "  period     {} to {} ({} months); previous {} to {}",
        period.start(),
        period.as_of,
        period.months,
        crate::model::Date::first_of_month(prev_first),
        crate::model::Date::last_of_month(prev_last),
    );
    let _ = writeln!(out, "  rules      {}", input.rules);
    for (dialect, count) in dialects(&input.sales.files) {
        let files = format!("{count} file{}", if count == 1 { "" } else { "s" });
        let _ = writeln!(out, "  read       {files:<9} {dialect}");
    }
    if !input.sales.empty_files.is_empty() {
        let names: Vec<String> =
            input.sales.empty_files.iter().map(|p| p.display().to_string()).collect();
        let _ =
            writeln!(out, "  note       {} empty files skipped: {}", names.len(), names.join(", "));
    }
    let t = input.sales.totals();
    let _ = writeln!(
        out,
        "  lines      {} read = {} accepted + {} rejected",
        t.read, t.accepted, t.rejected
    );
    for note in &input.sales.notes {
        let _ = writeln!(out, "  note       {}", note_text(note));
    }
    let _ = writeln!(out, "  revenue    {} accepted", money(t.revenue));
    if t.after_as_of > 0 {
        let _ = writeln!(
            out,
            "             {} lines after as_of left out ({})",
            t.after_as_of,
            money(t.revenue_after_as_of)
        );
    }
    let window: i128 = p.rows.iter().map(|r| i128::from(r.metrics.revenue.units())).sum();
    let previous: i128 = p.rows.iter().map(|r| i128::from(r.metrics.revenue_prev.units())).sum();
    let _ = writeln!(
        out,
        "             {} in the window, {} in the previous one",
        money(window),
        money(previous)
    );
    // Only where the data has costs: without any cost column, cost is simply null.
    let without_cost: u64 = p
        .rows
        .iter()
        .filter(|r| r.metrics.cost.is_some())
        .map(|r| r.metrics.lines_without_cost)
        .sum();
    if without_cost > 0 {
        let _ = writeln!(
            out,
            "  note       {without_cost} window lines have no cost (empty, or from a file without a cost column), counted as 0: those customers' margins are overstated, so the rules set them aside (see the data quality)"
        );
    }
    window
}

/// The customers, every classification with its revenue shares, the ABC ×
/// XYZ grid and the segments of each matrix.
fn classes_lines(input: &SummaryInput<'_>, window: i128, out: &mut String) {
    let p = input.portfolio;
    let buying = p
        .rows
        .iter()
        .filter(|r| r.metrics.revenue != Amount::ZERO || r.metrics.active_months > 0)
        .count();
    let master = input.master_customers.map_or(String::new(), |n| format!(", {n} in the master"));
    let _ =
        writeln!(out, "  customers  {} ({buying} with sales in the window{master})", p.rows.len());
    let abc = p.first_of_kind(ClassKind::Abc);
    let xyz = p.first_of_kind(ClassKind::Xyz);
    for c in p.classifications.iter() {
        let label = if Some(c) == abc {
            "ABC".to_string()
        } else if Some(c) == xyz {
            "XYZ".to_string()
        } else {
            c.id.clone()
        };
        let _ = writeln!(out, "  {label:<10} {}", class_line(p, c, window));
        computed_lines(p, c, input.currency, out);
    }
    if let (Some(abc), Some(xyz)) = (abc, xyz) {
        out.push_str(&grid(p, abc, xyz));
    }
    for (i, id) in p.matrices.iter().enumerate() {
        let label = if i == 0 { "matrices" } else { "" };
        let _ = writeln!(out, "  {label:<10} {id}: {}", segment_counts(p, id));
    }
}

/// The alerts that fired, the key accounts, the strategies and the rule
/// evaluations that failed.
fn rule_lines(p: &Portfolio, out: &mut String) {
    let mut fired: BTreeMap<&str, usize> = BTreeMap::new();
    for r in 0..p.rows.len() {
        for id in p.alerts(r) {
            *fired.entry(id.as_str()).or_default() += 1;
        }
    }
    if !fired.is_empty() {
        let counts: Vec<String> = fired.iter().map(|(id, n)| format!("{id} {n}")).collect();
        let _ = writeln!(out, "  alerts     {}", counts.join(", "));
    }
    let key = (0..p.rows.len()).filter(|&r| p.is_key_account(r)).count();
    let _ = writeln!(out, "  key        {key} key accounts");
    if p.facts.has("strategy") {
        let none = (0..p.rows.len()).filter(|&r| p.text("strategy", r).is_none()).count();
        let unmatched = if none > 0 {
            format!("; {none} customers match no strategy: end the strategy table with a catch-all")
        } else {
            String::new()
        };
        let _ = writeln!(out, "  strategy   {}{unmatched}", segment_counts(p, "strategy"));
    }
    if let Some(first) = p.results.errors.first() {
        let _ = writeln!(
            out,
            "  warning    {} rule evaluations failed (they count as not true); first: {first}",
            p.results.errors.len()
        );
    }
}

/// The fitted purchase and spend models, or why they are missing, and the
/// portfolio's expected revenue (docs/metrics.md#forecast).
fn forecast_lines(p: &Portfolio, currency: &str, out: &mut String) {
    let o = &p.outlook;
    let fit = match &o.purchases {
        Ok(fit) => fit,
        Err(why) => {
            let _ = writeln!(
                out,
                "  forecast   none: {why}; p_alive, expected_purchases_12m, expected_revenue_12m and clv are empty"
            );
            return;
        }
    };
    let m = fit.model;
    let _ = writeln!(
        out,
        "  forecast   purchases (BG/NBD, {} customers): r {}, alpha {} days, a {}, b {}; log-likelihood {:.2}",
        o.customers,
        parameter(m.r),
        parameter(m.alpha),
        parameter(m.a),
        parameter(m.b),
        fit.log_likelihood
    );
    match &o.spend {
        Ok(spend) => {
            let g = spend.model;
            let _ = writeln!(
                out,
                "             spend (Gamma-Gamma, {} customers with repeat purchases): p {}, q {}, gamma {currency} {}; spend and frequency correlate {:.2}",
                spend.customers,
                parameter(g.p),
                parameter(g.q),
                parameter(g.gamma),
                spend.correlation
            );
        }
        Err(why) => {
            let _ = writeln!(
                out,
                "             spend: none: {why}; expected_revenue_12m and clv are empty"
            );
        }
    }
    let expected: i128 = (0..p.rows.len())
        .filter_map(|r| match p.facts.get("expected_revenue_12m", r) {
            Some(Fact::Amount(a)) => Some(i128::from(a.units())),
            _ => None,
        })
        .sum();
    if o.spend.is_ok() {
        let _ = writeln!(
            out,
            "             expected revenue in the next 12 months {currency} {}",
            grouped(expected)
        );
    }
    if o.spend_correlated() {
        let _ = writeln!(
            out,
            "  warning    spend per purchase and purchase frequency correlate beyond {}: the spend model assumes they do not, so expected revenue and clv are rougher than usual",
            crate::forecast::outlook::CORRELATION_WARNING
        );
    }
    if o.not_finite > 0 {
        let _ = writeln!(
            out,
            "  warning    {} customers have no forecast: the models' figures for them are not finite numbers",
            o.not_finite
        );
    }
    if o.spend_left_out > 0 && o.spend.is_ok() {
        let _ = writeln!(
            out,
            "  forecast   {} customers with repeat purchases have no expected revenue: their revenue after the first day nets to zero or less, or their first day's revenue is not known",
            o.spend_left_out
        );
    }
}

/// A fitted parameter: four decimals, or four significant digits in
/// scientific form where those would hide it (a fit on data without
/// spread sends some far out).
fn parameter(x: f64) -> String {
    if x != 0.0 && !(0.01..1e6).contains(&x.abs()) { format!("{x:.3e}") } else { format!("{x:.4}") }
}

/// A reading note in words.
pub fn note_text(note: &Note) -> String {
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    match note {
        Note::TitleLines { file, lines } => format!(
            "{}: {lines} title line{} above the header passed over",
            file.display(),
            plural(*lines)
        ),
        Note::TotalLines { file, lines, line, stated, sum } => {
            let outcome = if stated == sum {
                format!("file total {} = sum of its lines", grouped(*stated))
            } else {
                format!(
                    "file total {} (line {line}), but its accepted lines add up to {} (difference {}): look at its rejected lines",
                    grouped(*stated),
                    grouped(*sum),
                    grouped(stated - sum)
                )
            };
            format!("{}: {lines} total line{} left out of the figures; {outcome}", file.display(), plural(*lines))
        }
        Note::LookAlike { header, field, files } => {
            let in_files = if *files > 1 { format!(" (in {files} files)") } else { String::new() };
            format!(
                "column \"{header}\"{in_files} looks like {field} but is not mapped, so it is ignored; if it is, map it: [sales.columns] \"{header}\" = \"{field}\" (or --map \"{header}={field}\")"
            )
        }
        Note::IdMismatch { found, sales_only, master_only } => {
            let pairs: Vec<String> =
                found.examples.iter().map(|(s, m)| format!("{s} ↔ {m}")).collect();
            format!(
                "the sales and the master write customer ids differently: {sales_only} sales ids have no master row and {master_only} master ids no sales; {} of them match as {} (e.g. {}): if they are the same customers, set {} in kamplan.toml",
                found.matched,
                id_rule_words(&found.rule),
                pairs.join(", "),
                found.rule.setting()
            )
        }
        Note::SharedInvoices { first, second, sampled } => format!(
            "{} and {} hold invoices of the same customers with the same invoice ids ({sampled} in a sample of one invoice in {rate}, so about {}): if one export repeats part of the other, remove the repeated file or lines, or those sales count twice",
            first.display(),
            second.display(),
            sampled * crate::ingest::overlap::SAMPLE_RATE,
            rate = crate::ingest::overlap::SAMPLE_RATE,
        ),
        Note::MergedIds { customers } => format!(
            "the [customer_ids] rule makes one customer of several ids of the aggregate for {} customer{} (e.g. {}): their invoices were counted per id, so an invoice both ids had counts twice in orders; a query over ids already in one form is exact",
            customers.len(),
            if customers.len() == 1 { "" } else { "s" },
            customers.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
        ),
        Note::InstantDates { file, lines } => format!(
            "{}: the dates of {lines} line{} are instants with a time of day (a timestamp with time zone), read as their day in UTC; near midnight the client's day may differ: export the date as a DATE in the client's time zone if it matters",
            file.display(),
            plural(*lines)
        ),
        Note::NoCost => "no cost column in the sales files: margins cannot be computed (map one in [sales.columns] if the export has it)".into(),
    }
}

/// What an id rule does, in words.
fn id_rule_words(rule: &crate::model::ids::IdRule) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &rule.strip_prefix {
        parts.push(format!("without the prefix \"{p}\""));
    }
    if rule.strip_leading_zeros {
        parts.push("without leading zeros".to_string());
    }
    if rule.upper_case {
        parts.push("in capitals".to_string());
    }
    if rule.remove_spaces {
        parts.push("without spaces".to_string());
    }
    parts.join(", ")
}

/// Doubtful values listed in the summary; the workbook has them all.
const FLAGS_SHOWN: usize = 5;
/// Customers named as examples of those in one source only.
const EXAMPLES: usize = 3;

/// The coverage line, then what the data-quality checks found, if anything.
pub fn quality_lines(q: &DataQuality, currency: &str) -> String {
    let mut out = String::new();
    let l = crate::locale::Locale::En;
    let money = |units: i128| format!("{currency} {}", grouped(units));
    let c = &q.coverage;
    if c.customers > 0 {
        let items: Vec<String> = c
            .items()
            .iter()
            .map(|(name, covered)| {
                let share = c.revenue_share(*covered).unwrap_or_default() * 100.0;
                format!("{name} {share:.0}%")
            })
            .collect();
        let _ = writeln!(
            out,
            "  coverage   of the revenue of the {} buying customers: {}",
            c.customers,
            items.join(", ")
        );
    }
    let n = q.flags.len();
    if n > 0 {
        let _ = writeln!(
            out,
            "  quality    {n} doubtful value{} (none drives an objective):",
            if n == 1 { "" } else { "s" }
        );
        for f in q.flags.iter().take(FLAGS_SHOWN) {
            let who = match &f.name {
                Some(name) => format!("{} {name}", f.customer_id),
                None => f.customer_id.clone(),
            };
            let _ = writeln!(
                out,
                "             {who}: {} ({}): {}",
                f.title(l).to_lowercase(),
                f.value_text(l, currency),
                f.reason_with(l, &|x| money(amount_units(x)))
            );
        }
        if n > FLAGS_SHOWN {
            let _ = writeln!(
                out,
                "             and {} more in portfolio.xlsx, sheet Data quality",
                n - FLAGS_SHOWN
            );
        }
    }
    for copy in &q.copies {
        let files: Vec<String> = copy.files.iter().map(|f| f.display().to_string()).collect();
        let _ = writeln!(
            out,
            "  quality    same content, read {} times: {}; each extra copy counts {} lines and {} again",
            files.len(),
            files.join(", "),
            copy.lines,
            money(copy.revenue)
        );
    }
    if !q.rejects.is_empty() {
        let groups: Vec<String> = q
            .rejects
            .iter()
            .map(|g| {
                let field = g.field.unwrap_or("whole line");
                format!("{field}: {} ({})", g.kind.title(l), g.lines)
            })
            .collect();
        let _ = writeln!(out, "  quality    rejected lines by reason: {}", groups.join(", "));
    }
    let sources = &q.sources;
    if !sources.not_in_master.is_empty() {
        let examples: Vec<&str> =
            sources.not_in_master.iter().take(EXAMPLES).map(|(id, _)| id.as_str()).collect();
        let revenue = amount_units(sources.not_in_master_revenue);
        let n = sources.not_in_master.len();
        let (customers, are) = if n == 1 { ("customer", "is") } else { ("customers", "are") };
        let _ = writeln!(
            out,
            "  quality    {n} {customers} in the sales {are} not in the master ({} in the window), e.g. {}",
            money(revenue),
            examples.join(", ")
        );
    }
    if !sources.not_in_sales.is_empty() {
        let examples: Vec<&str> =
            sources.not_in_sales.iter().take(EXAMPLES).map(|(id, _)| id.as_str()).collect();
        let n = sources.not_in_sales.len();
        let (customers, have) = if n == 1 { ("customer", "has") } else { ("customers", "have") };
        let _ = writeln!(
            out,
            "  quality    {n} {customers} of the master {have} no sales line up to as_of, e.g. {}",
            examples.join(", ")
        );
    }
    out
}

/// Distinct dialect descriptions with their file counts, in first-seen order.
fn dialects(files: &[FileReport]) -> Vec<(String, usize)> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for f in files {
        let text = dialect_of(f);
        match seen.iter_mut().find(|(t, _)| *t == text) {
            Some((_, n)) => *n += 1,
            None => seen.push((text, 1)),
        }
    }
    seen
}

/// One line per file read, for `--verbose`: its lines and its dialect.
pub fn file_lines(files: &[FileReport], root: &std::path::Path) -> String {
    let mut out = String::new();
    for f in files {
        let path = f.path.strip_prefix(root).unwrap_or(&f.path);
        let c = &f.counts;
        let _ = writeln!(
            out,
            "  file       {}: {} read = {} accepted + {} rejected; {}",
            path.display(),
            c.read,
            c.accepted,
            c.rejected,
            dialect_of(f)
        );
        let _ = writeln!(out, "  columns    {}", mapping_text(&f.columns));
    }
    out
}

/// `Data → date, Cliente → customer_id, Note → ignored`.
pub fn mapping_text(columns: &[(String, Option<&'static str>)]) -> String {
    columns
        .iter()
        .map(|(header, field)| format!("{header} → {}", field.unwrap_or("ignored")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a file was read, in words.
fn dialect_of(f: &FileReport) -> String {
    let mut parts = Vec::new();
    if let Some(groups) = f.parquet_row_groups {
        parts.push(format!(
            "Parquet, {groups} row group{}, types from the schema",
            if groups == 1 { "" } else { "s" }
        ));
        // Numbers and dates are typed unless a column holds them as text.
        if f.decimal.1 == Decided::Assumed && f.date_format.1 == Decided::Assumed {
            return parts.join(", ");
        }
    }
    if let Some(sheet) = &f.sheet {
        parts.push(format!("workbook, sheet \"{sheet}\""));
    }
    if let Some((e, how)) = f.encoding {
        parts.push(format!(
            "{} ({})",
            match e {
                Encoding::Utf8 => "UTF-8",
                Encoding::Windows1252 => "Windows-1252",
            },
            how.label()
        ));
    }
    if let Some((d, how)) = f.delimiter {
        let name = match d {
            b'\t' => "tab".to_string(),
            other => format!("\"{}\"", other as char),
        };
        parts.push(format!("delimiter {name} ({})", how.label()));
    }
    let decimal = match f.decimal.0 {
        Decimal::Dot => "decimal point",
        Decimal::Comma => "decimal comma",
    };
    parts.push(format!("{decimal} ({})", f.decimal.1.label()));
    parts.push(format!("dates {} ({})", f.date_format.0, f.date_format.1.label()));
    parts.join(", ")
}

/// Customers and revenue share of each class of a classification.
fn class_line(p: &Portfolio, c: &ClassificationInfo, total: i128) -> String {
    c.classes
        .iter()
        .map(|class| {
            let rows: Vec<usize> =
                (0..p.rows.len()).filter(|&r| p.text(&c.id, r).as_ref() == Some(class)).collect();
            let revenue: i128 =
                rows.iter().map(|&r| i128::from(p.rows[r].metrics.revenue.units())).sum();
            format!("{class} {} ({} of revenue)", rows.len(), share(revenue, total))
        })
        .collect::<Vec<_>>()
        .join("   ")
}

/// The limits an ABC classification of method "computed" found, or why
/// there are none (docs/metrics.md#computed-method).
fn computed_lines(p: &Portfolio, c: &ClassificationInfo, currency: &str, out: &mut String) {
    let Some(limits) = p.results.computed_limits.iter().find(|l| l.id == c.id) else { return };
    let (first, middle, last) = (&c.classes[0], &c.classes[1], &c.classes[2]);
    let Some(cut) = &limits.cut else {
        let _ = writeln!(
            out,
            "  warning    {}: the ABC curve of {} gives no limits (fewer than two customers, or the values are too even): every customer with a positive value is {middle}",
            c.id, limits.metric
        );
        return;
    };
    let figure = |units: i128| match p.units_fact(&limits.metric, units) {
        Fact::Count(n) => {
            grouped(i128::from(n) * i128::from(crate::model::amount::SCALE)).replace(".00", "")
        }
        _ => format!("{currency} {}", grouped(units)),
    };
    let _ = writeln!(
        out,
        "             limits computed from the ABC curve of {}: {first} above {}, {last} below {} (points at {:.0}% and {:.0}% of the customers)",
        limits.metric,
        figure(cut.ab),
        figure(cut.bc),
        cut.curve.a_effort * 100.0,
        cut.curve.c_effort * 100.0,
    );
    if !(0..p.rows.len()).any(|r| p.text(&c.id, r).as_ref() == Some(first)) {
        let _ = writeln!(
            out,
            "  note       {}: the curve's {first}|{middle} limit is the largest value itself, and {first} takes the values above it: class {first} is empty",
            c.id
        );
    }
}

/// Customers per segment of a matrix, largest first (ties by name).
fn segment_counts(p: &Portfolio, matrix: &str) -> String {
    let mut counts: BTreeMap<Cow<str>, usize> = BTreeMap::new();
    for fact in p.facts.column(matrix).unwrap_or_default() {
        if let Some(segment) = fact.text() {
            *counts.entry(segment).or_default() += 1;
        }
    }
    let mut counts: Vec<(Cow<str>, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.iter().map(|(s, n)| format!("{s} {n}")).collect::<Vec<_>>().join(", ")
}

fn share(part: i128, total: i128) -> String {
    if total > 0 { format!("{:.1}%", part as f64 / total as f64 * 100.0) } else { "-".into() }
}

/// The ABC × XYZ grid of customer counts.
fn grid(p: &Portfolio, abc: &ClassificationInfo, xyz: &ClassificationInfo) -> String {
    let mut counts: BTreeMap<(Cow<str>, Cow<str>), usize> = BTreeMap::new();
    let column = |id: &str| p.facts.column(id).unwrap_or_default();
    let (abc_column, xyz_column) = (column(&abc.id), column(&xyz.id));
    for r in 0..p.rows.len() {
        let abc = abc_column.get(r).and_then(Fact::text).unwrap_or_default();
        let xyz = xyz_column.get(r).and_then(Fact::text).unwrap_or_default();
        *counts.entry((abc, xyz)).or_default() += 1;
    }
    let mut out = String::from("  grid       ");
    for x in &xyz.classes {
        let _ = write!(out, "{x:>6}");
    }
    out.push('\n');
    for a in &abc.classes {
        let _ = write!(out, "  {:>10} ", a);
        for x in &xyz.classes {
            let _ = write!(
                out,
                "{:>6}",
                counts
                    .get(&(Cow::Borrowed(a.as_str()), Cow::Borrowed(x.as_str())))
                    .copied()
                    .unwrap_or(0)
            );
        }
        out.push('\n');
    }
    out
}

/// A sum of money the analyses keep as a float, in units of 1/10 000.
fn amount_units(x: f64) -> i128 {
    crate::model::Amount::from_f64_rounded(x).map_or(0, |a| i128::from(a.units()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(12_345_678_905), "1,234,567.89");
        assert_eq!(grouped(12_345_678_950), "1,234,567.90");
        assert_eq!(grouped(-1_000_000), "-100.00");
        assert_eq!(grouped(0), "0.00");
        assert_eq!(grouped(9_990_000), "999.00");
        assert_eq!(grouped(i128::from(i64::MAX) * 3), "2,767,011,611,056,432.74");
    }

    #[test]
    fn quality_lines_name_what_was_found_and_only_that() {
        use crate::analysis::quality::{
            CopiedFiles, Coverage, Covered, DataQuality, Flag, FlagKind, SourceMatch,
        };
        let coverage = Coverage {
            customers: 4,
            revenue: 1_000.0,
            potential: Covered { customers: 2, revenue: 600.0 },
            ..Default::default()
        };
        let clean = DataQuality { coverage: coverage.clone(), ..Default::default() };
        assert_eq!(
            quality_lines(&clean, "EUR"),
            "  coverage   of the revenue of the 4 buying customers: potential 60%, survey 0%, cost 0%, contract 0%\n"
        );
        let found = DataQuality {
            coverage,
            flags: vec![Flag {
                customer_id: "C1".into(),
                name: Some("Rossi".into()),
                kind: FlagKind::ShareOfWalletAbove100,
                value: 2.0,
                revenue: 200.0,
                potential: Some(100.0),
            }],
            copies: vec![CopiedFiles {
                files: vec!["a.csv".into(), "b.csv".into()],
                lines: 3,
                revenue: 150 * 10_000,
            }],
            sources: SourceMatch {
                master_given: true,
                not_in_master: vec![("X".into(), 5.0)],
                not_in_master_revenue: 5.0,
                not_in_sales: Vec::new(),
            },
            ..Default::default()
        };
        let text = quality_lines(&found, "EUR");
        assert!(text.contains("  quality    1 doubtful value (none drives an objective):\n             C1 Rossi: share of wallet above 100% (200.0%): revenue EUR 200.00 is above the potential estimate EUR 100.00: update the estimate\n"), "{text}");
        assert!(
            text.contains(
                "read 2 times: a.csv, b.csv; each extra copy counts 3 lines and EUR 150.00 again"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "1 customer in the sales is not in the master (EUR 5.00 in the window), e.g. X"
            ),
            "{text}"
        );
        assert!(!text.contains("rejected") && !text.contains("no sales line"), "{text}");
    }
}
