//! The portfolio report: concentration, the classifications and their
//! cross-table, every matrix with its cells, the segments with their
//! accounts, the alerts and the key accounts.

use super::{Meta, Sources, charts, classification_titles};
use crate::classify::engine::matrix_cells;
use crate::classify::facts::Fact;
use crate::classify::{ClassKind, Portfolio};
use crate::config::rules::{AbcMethod, ClassRule, Classification, Rules, XyzMethod};
use crate::model::Amount;
use crate::model::Bound;
use crate::render::Chart;
use crate::render::Document;
use serde::Serialize;

/// Accounts named in a segment's or alert's line before "and N more".
const NAMED: usize = 5;
/// Key accounts listed in the report, the largest: about a page. A longer
/// list is not read by management, and 1,000 rows cost Typst 70 MB to lay
/// out; the workbook lists every one.
const KEY_ACCOUNTS_LISTED: usize = 50;
/// The workbook's sheet of every customer (named in the locale), which the
/// report names for the key accounts it does not list.
pub const PORTFOLIO_SHEET: &str = "Portfolio";

/// Most customers drawn in a matrix chart of the report.
const REPORT_BUBBLES: usize = 600;

#[derive(Debug, Serialize)]
pub struct PortfolioReport {
    pub meta: Meta,
    /// The executive summary's findings, most important first.
    pub findings: Vec<super::findings::Finding>,
    pub totals: Totals,
    pub concentration: Concentration,
    /// Expected revenue and revenue at risk, and the fitted models; `None`
    /// when the purchase model could not be fitted.
    pub outlook: Option<super::outlook::PortfolioOutlook>,
    /// Why revenue moved from the previous period; `None` when neither has revenue.
    pub bridge: Option<super::bridge::PortfolioBridge>,
    pub classifications: Vec<ClassTable>,
    pub abc_xyz: Option<CrossTable>,
    pub matrices: Vec<MatrixTable>,
    pub segments: Vec<SegmentLine>,
    pub alerts: Vec<AlertSummary>,
    /// The largest key accounts, at most [`KEY_ACCOUNTS_LISTED`].
    pub key_accounts: Vec<KeyAccountLine>,
    /// The key accounts not listed: how many, and their revenue.
    pub key_accounts_more: usize,
    pub key_accounts_more_revenue: f64,
    /// Where the workbook marks every key account: the sheet and column
    /// names in the report's language.
    pub key_accounts_sheet: String,
    pub key_accounts_column: String,
    /// Customers, revenue and action workload per strategy.
    pub strategies: Option<super::strategy::StrategyOverview>,
    /// Movements since the previous window, per classification and matrix;
    /// empty when the build did not classify the previous window.
    pub movements: Vec<super::movement::MigrationTable>,
    /// Cross-sell potential, lost customers and win-back, resource balance.
    pub analysis: super::intelligence::IntelligenceReport,
    /// The "Data quality" page, when the build ran the checks.
    pub quality: Option<super::quality::QualityPage>,
    /// The last plan against results, when the build was given one.
    pub control: Option<super::control::PortfolioControl>,
}

#[derive(Debug, Serialize)]
pub struct Totals {
    pub customers: usize,
    /// Customers with positive revenue in the window.
    pub active: usize,
    pub key_accounts: usize,
    pub revenue: f64,
    pub revenue_prev: f64,
    pub growth: Option<f64>,
    pub margin: Option<f64>,
    pub margin_pct: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Concentration {
    /// Share of revenue of the top 10% and 20% of customers with revenue.
    pub top10: Option<f64>,
    pub top20: Option<f64>,
    /// How many customers make 80% of revenue.
    pub customers_for_80: usize,
    pub chart: String,
}

#[derive(Debug, Serialize)]
pub struct ClassTable {
    pub id: String,
    pub title: String,
    /// How the rules cut the classes, with the limits the computed method found.
    pub method: String,
    /// What the class columns add up: the metric an ABC ranks (its name in
    /// words, and whether it is money), revenue for an XYZ.
    pub measure: String,
    pub money: bool,
    pub rows: Vec<ClassRow>,
}

#[derive(Debug, Serialize)]
pub struct ClassRow {
    pub class: String,
    pub customers: usize,
    pub customer_share: f64,
    /// The class's sum of the measure, and its share of the portfolio's.
    pub revenue: f64,
    pub revenue_share: Option<f64>,
}

/// Customers and revenue in each ABC × XYZ pair.
#[derive(Debug, Serialize)]
pub struct CrossTable {
    pub rows_title: String,
    pub columns_title: String,
    pub columns: Vec<String>,
    pub rows: Vec<CrossRow>,
}

#[derive(Debug, Serialize)]
pub struct CrossRow {
    pub label: String,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Serialize)]
pub struct Cell {
    pub customers: usize,
    pub revenue: f64,
    pub revenue_share: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct MatrixTable {
    pub id: String,
    pub title: String,
    pub description: String,
    pub x_title: String,
    pub y_title: String,
    pub x_labels: Vec<String>,
    /// Rows from the top (highest y band) down.
    pub rows: Vec<MatrixRow>,
    /// Customers in the missing-data segment, when the matrix has one.
    pub missing: Option<SegmentCell>,
    pub chart: String,
}

#[derive(Debug, Serialize)]
pub struct MatrixRow {
    pub label: String,
    pub cells: Vec<SegmentCell>,
}

#[derive(Debug, Serialize)]
pub struct SegmentCell {
    pub segment: String,
    pub title: String,
    pub customers: usize,
    pub revenue: f64,
    pub revenue_share: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct SegmentLine {
    pub matrix: String,
    pub segment: String,
    pub title: String,
    pub customers: usize,
    pub revenue: f64,
    pub revenue_share: Option<f64>,
    /// The largest accounts by revenue, named.
    pub accounts: Vec<String>,
    pub more: usize,
}

#[derive(Debug, Serialize)]
pub struct AlertSummary {
    pub id: String,
    /// The alert's title in the documents' language (its id in words when
    /// the rules give none).
    pub title: String,
    pub severity: String,
    pub customers: usize,
    pub revenue: f64,
    pub accounts: Vec<String>,
    pub more: usize,
}

#[derive(Debug, Serialize)]
pub struct KeyAccountLine {
    pub id: String,
    pub name: String,
    pub revenue: f64,
    pub growth: Option<f64>,
    /// Class of each classification, in rule order.
    pub classes: Vec<String>,
    /// The title of the account's strategy.
    pub strategy: Option<String>,
    pub alerts: usize,
}

/// The portfolio report with its charts.
pub fn portfolio_document(sources: &Sources, meta: &Meta) -> Document {
    let Sources { portfolio, previous, rules, .. } = *sources;
    let mut report = portfolio_report(portfolio, rules, meta);
    report.analysis = super::intelligence::intelligence_report(sources);
    // A total printed beside its rows is the sum of the rows as printed, in
    // whole currency units, so a reader adding them up finds it.
    if let Some(c) = report.analysis.cross_sell.as_mut() {
        c.potential = c.groups.iter().map(|g| g.potential.round()).sum();
    }
    report.quality =
        sources.quality.map(|q| super::quality::quality_page(q, rules.locale, &meta.currency));
    report.control = sources.control.map(|c| super::control::portfolio_control(c, rules));
    report.findings = {
        let (t, a) = (&report.totals, &report.analysis);
        let figures = super::findings::Figures {
            locale: rules.locale,
            currency: &meta.currency,
            revenue: t.revenue,
            revenue_prev: t.revenue_prev,
            growth: t.growth,
            margin_pct: t.margin_pct,
            active: t.active,
            top20: report.concentration.top20,
            customers_for_80: report.concentration.customers_for_80,
            lost: (a.lost.customers, a.lost.revenue_lost),
            churning: (
                a.lost.churning_count,
                (a.lost.churning.len() == a.lost.churning_count).then(|| {
                    a.lost.churning.iter().map(|c| c.revenue_prev.round() - c.revenue.round()).sum()
                }),
            ),
            cross_sell: a
                .cross_sell
                .as_ref()
                .map(|c| (c.customers_with_gaps, c.potential, c.min_peer_share)),
            control: report
                .control
                .as_ref()
                .map(|c| (c.plan_date.as_str(), c.total.met, c.total.met + c.total.missed)),
        };
        super::findings::findings(&figures, portfolio)
    };
    if let Some(previous) = previous {
        let migrations = crate::migration::migrations(portfolio, previous);
        report.movements = super::movement::migration_tables(portfolio, &migrations, rules);
    }
    let mut chart_list =
        vec![(report.concentration.chart.clone(), Chart::Pareto(charts::pareto(portfolio, rules)))];
    let (bridge, bridge_chart) = super::bridge::portfolio_bridge(portfolio, rules.locale);
    if bridge.revenue_prev != 0.0 || bridge.revenue != 0.0 {
        chart_list.push((bridge.chart.clone(), bridge_chart));
        report.bridge = Some(bridge);
    }
    let matrix_charts = charts::MatrixCharts::new(portfolio, rules, REPORT_BUBBLES);
    for (i, m) in report.matrices.iter().enumerate() {
        chart_list.push((m.chart.clone(), Chart::Matrix(matrix_charts.chart(i, None))));
    }
    let analysis = &report.analysis;
    if analysis.lost.customers > 0 {
        let lost = charts::lost_by_month(rules.locale, &sources.intelligence.lost);
        chart_list.push((analysis.lost.chart.clone(), Chart::Monthly(lost)));
    }
    for b in analysis.resources.iter().flat_map(|r| &r.breakdowns) {
        if let Some(chart) = charts::resource_shares(rules.locale, &b.rows) {
            chart_list.push((b.chart.clone(), Chart::Mix(chart)));
        }
    }
    Document {
        template: "portfolio.typ",
        context: minijinja::Value::from(minijinja::value::Serde(&report)),
        charts: chart_list,
        output: "portfolio.pdf".into(),
        ident: "kamplan portfolio report".into(),
        subject: "portfolio".into(),
    }
}

/// The portfolio's rows with the revenue figures every section of the report sums.
struct Rows<'a> {
    portfolio: &'a Portfolio,
    /// Every row index, in portfolio order.
    all: Vec<usize>,
    /// Rows by revenue, largest first: the order accounts are named in.
    by_revenue: Vec<usize>,
    /// Each row's place in `by_revenue`.
    rank: Vec<usize>,
    /// Revenue of the whole portfolio.
    total: f64,
}

impl<'a> Rows<'a> {
    /// Rank the portfolio's rows by revenue.
    fn new(portfolio: &'a Portfolio) -> Rows<'a> {
        let revenue = |row: usize| portfolio.rows[row].metrics.revenue.to_f64();
        let total: f64 = (0..portfolio.rows.len()).map(revenue).sum();
        let all: Vec<usize> = (0..portfolio.rows.len()).collect();
        let mut by_revenue = all.clone();
        by_revenue.sort_by(|&a, &b| revenue(b).total_cmp(&revenue(a)).then(a.cmp(&b)));
        let mut rank = vec![0; all.len()];
        for (i, &row) in by_revenue.iter().enumerate() {
            rank[row] = i;
        }
        Rows { portfolio, all, by_revenue, rank, total }
    }

    /// Revenue of one row.
    fn revenue(&self, row: usize) -> f64 {
        self.portfolio.rows[row].metrics.revenue.to_f64()
    }

    /// A part's share of the total revenue; none when there is no revenue.
    fn share(&self, part: f64) -> Option<f64> {
        (self.total > 0.0).then(|| part / self.total)
    }

    /// Revenue of some rows.
    fn sum(&self, rows: &[usize]) -> f64 {
        rows.iter().map(|&r| self.revenue(r)).sum::<f64>()
    }

    /// The largest accounts' names among `rows`, and how many more there are.
    fn names(&self, rows: &[usize]) -> (Vec<String>, usize) {
        let mut sorted: Vec<usize> = rows.to_vec();
        sorted.sort_by_key(|&r| self.rank[r]);
        let named = sorted
            .iter()
            .take(NAMED)
            .map(|&r| self.portfolio.rows[r].display_name().to_string())
            .collect();
        (named, rows.len().saturating_sub(NAMED))
    }

    /// The rows that match `keep`, in portfolio order.
    fn filter(&self, keep: impl Fn(usize) -> bool) -> Vec<usize> {
        self.all.iter().copied().filter(|&r| keep(r)).collect()
    }
}

/// The view model of the portfolio report.
pub fn portfolio_report(portfolio: &Portfolio, rules: &Rules, meta: &Meta) -> PortfolioReport {
    let rows = Rows::new(portfolio);
    let key_rows: Vec<usize> =
        rows.by_revenue.iter().copied().filter(|&r| portfolio.is_key_account(r)).collect();
    let positive: Vec<f64> =
        rows.by_revenue.iter().map(|&r| rows.revenue(r)).filter(|v| *v > 0.0).collect();
    let listed = key_rows.len().min(KEY_ACCOUNTS_LISTED);
    PortfolioReport {
        meta: meta.clone(),
        totals: totals(&rows, positive.len(), key_rows.len()),
        concentration: concentration(&positive),
        outlook: super::outlook::portfolio_outlook(portfolio, rules),
        bridge: None,
        classifications: class_tables(&rows, rules),
        abc_xyz: abc_xyz_table(&rows),
        matrices: matrix_tables(portfolio, rules),
        segments: segment_lines(&rows, rules),
        alerts: alert_summaries(&rows, rules),
        key_accounts: key_account_lines(&rows, &key_rows[..listed], rules),
        key_accounts_more: key_rows.len() - listed,
        key_accounts_more_revenue: key_rows[listed..]
            .iter()
            .map(|&r| portfolio.rows[r].metrics.revenue)
            .sum::<Amount>()
            .to_f64(),
        key_accounts_sheet: meta.locale.text(PORTFOLIO_SHEET).to_string(),
        key_accounts_column: crate::classify::variables::column_header("key_account", meta.locale),
        strategies: super::strategy::overview(portfolio, rules),
        movements: Vec::new(),
        analysis: Default::default(),
        quality: None,
        control: None,
        findings: Vec::new(),
    }
}

/// The key figures: customers, revenue against the previous window, margin.
fn totals(rows: &Rows, active: usize, key_accounts: usize) -> Totals {
    let total = rows.total;
    let metrics = rows.portfolio.rows.iter().map(|r| &r.metrics);
    let margin: Option<f64> = metrics.clone().map(|m| m.margin.map(|a| a.to_f64())).sum();
    let revenue_prev: f64 = metrics.map(|m| m.revenue_prev.to_f64()).sum();
    Totals {
        customers: rows.all.len(),
        active,
        key_accounts,
        revenue: total,
        revenue_prev,
        growth: (revenue_prev > 0.0).then(|| total / revenue_prev - 1.0),
        margin,
        margin_pct: margin.filter(|_| total > 0.0).map(|m| m / total),
    }
}

/// How much of the revenue the largest customers make, from the positive revenues largest first.
fn concentration(positive: &[f64]) -> Concentration {
    let positive_total: f64 = positive.iter().sum();
    let top = |fraction: f64| {
        let n = ((positive.len() as f64 * fraction).ceil() as usize).min(positive.len());
        (positive_total > 0.0).then(|| positive[..n].iter().sum::<f64>() / positive_total)
    };
    let mut running = 0.0;
    let customers_for_80 = positive
        .iter()
        .position(|v| {
            running += v;
            running >= 0.8 * positive_total
        })
        .map_or(0, |i| i + 1);
    Concentration {
        top10: top(0.1),
        top20: top(0.2),
        customers_for_80,
        chart: "/charts/pareto.svg".into(),
    }
}

/// Customers and revenue per class of every classification.
fn class_tables(rows: &Rows, rules: &Rules) -> Vec<ClassTable> {
    let portfolio = rows.portfolio;
    let titles = classification_titles(rules);
    portfolio
        .classifications
        .iter()
        .zip(&titles)
        .zip(&rules.classifications)
        .map(|((c, t), rule)| {
            // An ABC adds up the metric it ranks: a table of margin classes
            // in revenue would read as their share of margin.
            let metric = match &rule.rule {
                ClassRule::Abc(abc) => abc.metric.value.as_str(),
                ClassRule::Xyz(_) => "revenue",
            };
            let column = portfolio.facts.column(metric).unwrap_or(&[]);
            let value = |r: usize| column.get(r).and_then(Fact::as_f64).unwrap_or(0.0);
            let sum = |members: &[usize]| members.iter().map(|&r| value(r)).sum::<f64>();
            let total = sum(&rows.all);
            ClassTable {
                id: c.id.clone(),
                title: t.title.clone(),
                method: class_method(portfolio, rule, rules),
                measure: crate::classify::variables::label(rules.locale, metric),
                money: column.iter().any(|f| matches!(f, Fact::Amount(_))),
                rows: c
                    .classes
                    .iter()
                    .map(|class| {
                        let members =
                            rows.filter(|r| portfolio.text(&c.id, r).as_deref() == Some(class));
                        ClassRow {
                            class: class.clone(),
                            customers: members.len(),
                            customer_share: members.len() as f64 / rows.all.len().max(1) as f64,
                            revenue: sum(&members),
                            revenue_share: (total > 0.0).then(|| sum(&members) / total),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// How a classification cuts its classes, in a sentence for the client.
fn class_method(portfolio: &Portfolio, c: &Classification, rules: &Rules) -> String {
    use crate::locale::format;
    let l = rules.locale;
    let pct = |b: &Bound| format::percent(l, b.to_f64(), 0);
    let classes = c.rule.classes();
    let (first, last) = (&classes[0], &classes[classes.len() - 1]);
    // "A up to 80%, B up to 95%": every class but the last, then the last.
    let list = |part: &dyn Fn(usize) -> String| {
        let parts: Vec<String> = (0..classes.len() - 1).map(part).collect();
        parts.join(", ")
    };
    match &c.rule {
        ClassRule::Abc(rule) => {
            let metric = crate::classify::variables::label(l, &rule.metric.value);
            match &rule.method {
                AbcMethod::CumulativeShare(bounds) => l.fill(
                    "Customers ranked by {metric}, largest first, each class until its share of the total is reached (the customer that crosses it included): {classes}; {last} the rest.",
                    &[
                        ("metric", &metric),
                        ("classes", &list(&|i| l.fill("{class} up to {share}", &[("class", &classes[i]), ("share", &l.article("al", &pct(&bounds[i])))]))),
                        ("last", last),
                    ],
                ),
                AbcMethod::RankShare(cumulative) => l.fill(
                    "Customers ranked by {metric}, largest first: {classes} of the customers; {last} the rest.",
                    &[
                        ("metric", &metric),
                        ("classes", &list(&|i| l.fill("{class} up to {share}", &[("class", &classes[i]), ("share", &l.article("al", &pct(&cumulative[i])))]))),
                        ("last", last),
                    ],
                ),
                AbcMethod::Computed => match portfolio.computed_cut(&c.id) {
                    Some(cut) => {
                        let figure = |units| {
                            let fact = portfolio.units_fact(&rule.metric.value, units);
                            crate::explain::whole_figure(l, Some(&fact), &rules.currency)
                        };
                        l.fill(
                            "Class limits set where the {metric} curve bends (computed ABC analysis, Ultsch and Lötsch): {first} above {ab}, {middle} from {bc} to {ab}, {last} below {bc}.",
                            &[
                                ("metric", &metric),
                                ("first", first),
                                ("ab", &figure(cut.ab)),
                                ("last", last),
                                ("bc", &figure(cut.bc)),
                                ("middle", &classes[1]),
                            ],
                        )
                    }
                    None => l.fill(
                        "The customers' {metric} figures are too even for the computed ABC analysis to set limits: every customer with {metric} above zero is {middle}.",
                        &[("metric", &metric), ("middle", &classes[1])],
                    ),
                },
            }
        }
        ClassRule::Xyz(rule) => match &rule.method {
            XyzMethod::Cv(bounds) => l.fill(
                "Coefficient of variation of monthly revenue (how far it moves around its average): {classes}; {last} above, or without revenue.",
                &[
                    ("classes", &list(&|i| l.fill("{class} up to {share}", &[("class", &classes[i]), ("share", &l.article("al", &pct(&bounds[i])))]))),
                    ("last", last),
                ],
            ),
            XyzMethod::Frequency(bounds) => l.fill(
                "Share of the months with a purchase: {classes}; {last} below.",
                &[
                    ("classes", &list(&|i| l.fill("{class} from {share}", &[("class", &classes[i]), ("share", &l.article("dal", &pct(&bounds[i])))]))),
                    ("last", last),
                ],
            ),
        },
    }
}

/// The ABC × XYZ cross-table, when the rules have both kinds of classification.
fn abc_xyz_table(rows: &Rows) -> Option<CrossTable> {
    let portfolio = rows.portfolio;
    let (abc, xyz) =
        match (portfolio.first_of_kind(ClassKind::Abc), portfolio.first_of_kind(ClassKind::Xyz)) {
            (Some(abc), Some(xyz)) => (abc, xyz),
            _ => return None,
        };
    let cell = |a: &String, x: &String| {
        let members = rows.filter(|r| {
            portfolio.text(&abc.id, r).as_deref() == Some(a)
                && portfolio.text(&xyz.id, r).as_deref() == Some(x)
        });
        Cell {
            customers: members.len(),
            revenue: rows.sum(&members),
            revenue_share: rows.share(rows.sum(&members)),
        }
    };
    Some(CrossTable {
        rows_title: abc.id.to_uppercase(),
        columns_title: xyz.id.to_uppercase(),
        columns: xyz.classes.clone(),
        rows: abc
            .classes
            .iter()
            .map(|a| CrossRow {
                label: a.clone(),
                cells: xyz.classes.iter().map(|x| cell(a, x)).collect(),
            })
            .collect(),
    })
}

/// Every matrix's segments with their customers, revenue and largest accounts.
fn segment_lines(rows: &Rows, rules: &Rules) -> Vec<SegmentLine> {
    let portfolio = rows.portfolio;
    let mut segments = Vec::new();
    for m in &rules.matrices {
        // Each segment once, in the order of the matrix's cells.
        let mut seen: Vec<&str> = Vec::new();
        for id in m
            .cells
            .iter()
            .flatten()
            .map(|c| c.value.as_str())
            .chain(m.missing.as_ref().map(|s| s.value.as_str()))
        {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            let members = rows.filter(|r| portfolio.text(&m.id, r).as_deref() == Some(id));
            let (accounts, more) = rows.names(&members);
            segments.push(SegmentLine {
                matrix: m.title.clone(),
                segment: id.to_string(),
                title: rules.segment(id).map_or_else(|| id.to_string(), |s| s.title.clone()),
                customers: members.len(),
                revenue: rows.sum(&members),
                revenue_share: rows.share(rows.sum(&members)),
                accounts,
                more,
            });
        }
    }
    segments
}

/// Every alert with the customers it fires for, the most serious first
/// (in the rules' order within one severity).
fn alert_summaries(rows: &Rows, rules: &Rules) -> Vec<AlertSummary> {
    let mut alerts: Vec<_> = rules.alerts.iter().collect();
    alerts.sort_by_key(|a| std::cmp::Reverse(a.severity));
    alerts
        .into_iter()
        .map(|a| {
            let members = rows.filter(|r| rows.portfolio.alerts(r).contains(&a.id));
            let (accounts, more) = rows.names(&members);
            AlertSummary {
                title: a.title.clone(),
                id: a.id.clone(),
                severity: a.severity.name().to_string(),
                customers: members.len(),
                revenue: rows.sum(&members),
                accounts,
                more,
            }
        })
        .collect()
}

/// One line per key account, largest first.
fn key_account_lines(rows: &Rows, key_rows: &[usize], rules: &Rules) -> Vec<KeyAccountLine> {
    let portfolio = rows.portfolio;
    key_rows
        .iter()
        .map(|&r| KeyAccountLine {
            id: portfolio.rows[r].customer_id.clone(),
            name: portfolio.rows[r].display_name().to_string(),
            revenue: rows.revenue(r),
            growth: portfolio.rows[r].metrics.growth,
            classes: portfolio
                .classifications
                .iter()
                .map(|c| portfolio.text(&c.id, r).unwrap_or_default())
                .collect(),
            strategy: portfolio
                .text("strategy", r)
                .map(|id| rules.strategy(&id).map_or(id, |s| s.title.clone())),
            alerts: portfolio.alerts(r).len(),
        })
        .collect()
}

/// Every matrix of the rules laid out as a grid, with the customers and
/// revenue of each cell (a segment that spans several cells is counted per
/// cell, as the chart places its customers) and of the missing-data segment:
/// for the report and the workbook alike. Revenue is summed exactly.
pub fn matrix_tables(portfolio: &Portfolio, rules: &Rules) -> Vec<MatrixTable> {
    let revenues: Vec<Amount> = portfolio.rows.iter().map(|r| r.metrics.revenue).collect();
    let total = revenues.iter().copied().sum::<Amount>().to_f64();
    rules
        .matrices
        .iter()
        .enumerate()
        .map(|(i, m)| {
            // Customers and revenue per cell (y band, x band) and without data, in one pass.
            let (x_breaks, y_breaks) = &portfolio.results.matrix_breaks[i];
            let columns = m.x.bands.count();
            let mut grid = vec![(0usize, Amount::ZERO); columns * m.y.bands.count()];
            let mut without_data = (0usize, Amount::ZERO);
            let places = matrix_cells(&portfolio.facts, m, (x_breaks, y_breaks));
            for (place, revenue) in places.iter().zip(&revenues) {
                let entry = match place {
                    Some((x, y)) => &mut grid[y * columns + x],
                    None => &mut without_data,
                };
                entry.0 += 1;
                entry.1 += *revenue;
            }
            let cell = |segment: &str, (customers, revenue): (usize, Amount)| {
                let revenue = revenue.to_f64();
                SegmentCell {
                    segment: segment.to_string(),
                    title: rules
                        .segment(segment)
                        .map_or_else(|| segment.to_string(), |s| s.title.clone()),
                    customers,
                    revenue,
                    revenue_share: (total > 0.0).then(|| revenue / total),
                }
            };
            MatrixTable {
                id: m.id.clone(),
                title: m.title.clone(),
                description: m.description.clone(),
                x_title: super::axis_title(rules, &m.x.variable.value),
                y_title: super::axis_title(rules, &m.y.variable.value),
                x_labels: m.x.labels.clone(),
                rows: m
                    .cells
                    .iter()
                    .zip(&m.y.labels)
                    .enumerate()
                    .rev()
                    .map(|(y, (cells, label))| MatrixRow {
                        label: label.clone(),
                        cells: cells
                            .iter()
                            .enumerate()
                            .map(|(x, c)| cell(&c.value, grid[y * columns + x]))
                            .collect(),
                    })
                    .collect(),
                missing: m.missing.as_ref().map(|s| cell(&s.value, without_data)),
                chart: format!("/charts/matrix-{}.svg", i + 1),
            }
        })
        .collect()
}
