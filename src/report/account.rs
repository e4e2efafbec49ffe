//! The account plan (dossier) of one key account: audit of the hard data,
//! classification with reasons, the segment playbooks, alerts, objectives and
//! control, and room for what the account team adds (SWOT, DMU, competitors).

use super::{ClassificationTitle, Meta, Sources, charts, classification_titles};
use crate::analysis::account::account_analysis;
use crate::analysis::cross_sell::Gap;
use crate::analysis::objectives::Objective;
use crate::analysis::swot::Swot;
use crate::config::accounts::AccountFile;
use crate::config::rules::Rules;
use crate::explain::{Explanation, StrategyStep, explain};
use crate::locale::Locale;
use crate::locale::format::{long_date, short_month};
use crate::render::Chart;
use crate::render::Document;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct AccountPlan {
    pub meta: Meta,
    pub account: Account,
    pub kpis: Vec<Kpi>,
    pub categories: Vec<CategoryRow>,
    pub recency: Recency,
    /// What the purchase and spend models expect of the account; `None`
    /// when the account has no purchase or the models were not fitted.
    pub outlook: Option<OutlookView>,
    /// Why the account's revenue moved, by cause (docs/metrics.md#revenue-bridge).
    pub bridge: Option<super::bridge::AccountBridge>,
    /// Where the account stands between the periods: `new`, `returning`,
    /// `continuing`, `lost` or `absent`.
    pub movement: &'static str,
    /// Its revenue this period, for the sentence of a new account.
    pub revenue: f64,
    pub classifications: Vec<ClassStep>,
    pub matrices: Vec<MatrixPlace>,
    /// The account's one strategy; `None` when the rules have no strategy table.
    pub strategy: Option<StrategyView>,
    /// Segments whose playbook moves resources against the strategy: listed
    /// for discussion, never as instructions.
    pub discuss: Vec<Discussion>,
    pub alerts: Vec<AlertLine>,
    /// The account's classes and segments in the previous window and now;
    /// empty when the build did not classify the previous window.
    pub movements: Vec<super::movement::AccountMove>,
    /// What the account file says (decision-making unit, competitors, history, notes).
    pub soft: Soft,
    /// Categories the account's peers buy and it does not, largest potential first.
    pub cross_sell: CrossSellView,
    pub swot: Swot,
    /// The strategy's KPIs, made concrete for the account.
    pub objectives: Vec<Objective>,
    /// The account's objectives in the last plan, judged; None without a
    /// previous plan.
    pub control: Option<super::control::AccountControl>,
    /// Paths of the charts, for `image(…)`.
    pub charts: ChartPaths,
}

#[derive(Debug, Serialize)]
pub struct Account {
    pub id: String,
    pub name: Option<String>,
    /// The name, or the id when the master has no name.
    pub title: String,
    pub sector: Option<String>,
    pub region: Option<String>,
    pub account_manager: Option<String>,
    pub relationship_stage: Option<String>,
    pub customer_since: Option<String>,
    pub potential: Option<f64>,
    pub key_client_type: Option<String>,
    pub satisfaction: Option<f64>,
    pub loyalty: Option<f64>,
    pub cost_to_serve: Option<f64>,
}

/// The account file's contents, as the plan prints them.
#[derive(Debug, Default, Serialize)]
pub struct Soft {
    /// Whether the account has a file at all.
    pub present: bool,
    pub contract_expiry: Option<String>,
    pub contract_terms: Option<String>,
    pub dmu: Vec<PersonView>,
    pub competitors: Vec<CompetitorView>,
    pub history: Vec<EventView>,
    pub objectives: Vec<TeamObjective>,
    pub notes: Option<String>,
}

/// An objective the account team wrote in the account file.
#[derive(Debug, Serialize)]
pub struct TeamObjective {
    pub objective: String,
    pub measure: Option<String>,
    pub target: Option<String>,
    pub due: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PersonView {
    pub name: String,
    pub role: String,
    pub influence: Option<String>,
    pub attitude: Option<String>,
    pub criteria: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CompetitorView {
    pub name: String,
    pub products: Option<String>,
    pub share: Option<f64>,
    pub price_position: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct EventView {
    pub date: String,
    pub kind: String,
    pub subject: String,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub value: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct CrossSellView {
    /// How the peers are chosen, e.g. "customers in the same ABC × XYZ segment (BX)".
    pub peers: Option<String>,
    pub gaps: Vec<Gap>,
    pub potential: f64,
    /// The peers' median spends added up; above `potential` when the gaps
    /// were bounded by the account's unused potential.
    pub benchmark: f64,
    /// The share of peers that must buy a category for it to be a gap, as
    /// written (`50%`).
    pub min_share: String,
}

/// A key figure, this period and the previous one. `format` names the
/// template filter that prints it: `money`, `count`, `pct` or `days`.
#[derive(Debug, Serialize)]
pub struct Kpi {
    pub label: String,
    /// The variable shown, to match the playbook's objectives.
    pub metric: &'static str,
    /// The objective's target for this figure, when the playbook sets one.
    pub target: Option<f64>,
    /// "≥ " or "≤ " before a target that is a floor or a ceiling.
    pub target_bound: &'static str,
    pub value: Option<f64>,
    pub previous: Option<f64>,
    /// Relative change from `previous`, when both are known and previous is positive.
    pub change: Option<f64>,
    pub format: &'static str,
    /// Why the value cannot be trusted, when it cannot (a share of wallet above 100%).
    pub doubt: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CategoryRow {
    pub name: String,
    pub current: f64,
    pub previous: f64,
    pub change: Option<f64>,
    /// Share of the account's revenue this period.
    pub share: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Recency {
    pub last_purchase: Option<String>,
    pub days_since_last: Option<i64>,
    pub median_gap: Option<f64>,
    pub active_months: u32,
    pub months: u32,
    /// The month of the latest purchase, for the trend chart's caption.
    pub last_month: Option<String>,
}

/// The account's forecast (docs/metrics.md#forecast), beside its history.
#[derive(Debug, Serialize)]
pub struct OutlookView {
    pub p_alive: f64,
    pub expected_purchases: f64,
    /// Purchase days in the last 12 months up to `as_of`, to compare with.
    pub purchases_last_year: u32,
    /// One purchase day so far: the model holds it active until it buys
    /// again, so its chance says nothing yet.
    pub single: bool,
    pub expected_revenue: Option<f64>,
    /// This window's revenue, to compare with.
    pub revenue: f64,
    /// The expected revenue differs from the window's (scaled to a year)
    /// by more than a quarter: the note says why that can be.
    pub pulled: bool,
    pub value: Option<f64>,
    pub value_months: u32,
    pub discount_rate: f64,
    /// The spend model's assumption fails on this portfolio: its figures are rough.
    pub rough: bool,
    /// Why there is no expected revenue, when the purchase model has one.
    pub no_revenue: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ClassStep {
    pub id: String,
    pub title: String,
    pub class: String,
    pub reason: String,
}

/// The account's cell in one matrix.
#[derive(Debug, Serialize)]
pub struct MatrixPlace {
    pub id: String,
    pub title: String,
    pub segment: String,
    pub segment_title: String,
    pub x: String,
    pub x_reason: String,
    pub y: String,
    pub y_reason: String,
    /// Where the account stands on both axes in plain words, the figures
    /// with their units ("Potential €907,800: high; revenue €296,960:
    /// high"); the quantile internals stay in `x_reason`, `y_reason`.
    pub position: String,
    /// The matrix with every customer, the same in every plan.
    pub chart: String,
    /// The account's bubble and name, to lay over `chart`.
    pub overlay: String,
    /// Whether the plan draws this matrix (see [`CHARTED`]).
    pub charted: bool,
}

/// Most matrices an account plan draws: those its strategy rests on first,
/// then those listed as points to discuss, then the others in rule order;
/// never one where the account is not assessed. Every matrix stays in the
/// diagnosis table.
pub const CHARTED: usize = 4;

/// The account's strategy, texts interpolated.
#[derive(Debug, Serialize)]
pub struct StrategyView {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Why it applies to this account, in words.
    pub reason: String,
    /// invest, maintain, reduce or withdraw.
    pub resources: &'static str,
    pub review: String,
    /// The date of the next review, one cadence after the analysis date.
    pub next_review: String,
    pub service_level: String,
    /// (dimension in words, text).
    pub profile: Vec<(String, String)>,
    pub actions: Vec<ActionView>,
}

/// One line of the action plan.
#[derive(Debug, Serialize)]
pub struct ActionView {
    pub text: String,
    /// The owner role, in words.
    pub owner: String,
    /// The due date, as the documents write dates, and in ISO form.
    pub due: String,
    pub due_iso: String,
    /// The measure of the action and its target, when it has one.
    pub kpi: Option<Objective>,
}

/// Segments whose advice points one way, against the strategy's.
#[derive(Debug, Serialize)]
pub struct Discussion {
    /// invest, maintain, reduce or withdraw: the segments' and the strategy's.
    pub segment_resources: &'static str,
    pub strategy_resources: &'static str,
    /// (segment title, matrix title), in matrix order.
    pub segments: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct AlertLine {
    pub id: String,
    /// The alert's title in the documents' language.
    pub title: String,
    pub severity: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct ChartPaths {
    pub monthly: String,
    pub mix: Option<String>,
    pub vendogram: Option<String>,
}

/// Most customers drawn in a dossier's matrix charts: enough to show where
/// the account stands among its peers, few enough to keep the pages light
/// (every bubble costs layout and PDF time in every dossier).
pub const DOSSIER_BUBBLES: usize = 200;

/// The account plan of the customer in row `row`, with its charts. `output`
/// is the file name the plan is written to.
pub fn account_document(
    sources: &Sources,
    meta: &Meta,
    matrix_charts: &charts::MatrixCharts,
    row: usize,
    output: String,
) -> Document {
    let portfolio = sources.portfolio;
    let locale = sources.rules.locale;
    let plan = account_plan(sources, meta, row);
    let metrics = &portfolio.rows[row].metrics;
    let mut chart_list = vec![(
        plan.charts.monthly.clone(),
        Chart::Monthly(charts::monthly(locale, portfolio, metrics)),
    )];
    if let Some(bridge) = &plan.bridge {
        let chart = Chart::Waterfall(super::bridge::account_chart(bridge, locale));
        chart_list.push((bridge.chart.clone(), chart));
    }
    if let (Some(path), Some(mix)) = (&plan.charts.mix, charts::mix(locale, metrics)) {
        chart_list.push((path.clone(), Chart::Mix(mix)));
    }
    if let (Some(path), Some(grid)) = (
        &plan.charts.vendogram,
        charts::vendogram(locale, portfolio, metrics, &plan.cross_sell.gaps),
    ) {
        chart_list.push((path.clone(), Chart::Grid(grid)));
    }
    for (i, place) in plan.matrices.iter().enumerate().filter(|(_, m)| m.charted) {
        let highlight = Some((row, plan.account.title.clone()));
        // The shared part keeps its bytes from plan to plan, so Typst decodes it once.
        chart_list.push((place.chart.clone(), matrix_charts.shared(i)));
        let overlay = Chart::MatrixOverlay(matrix_charts.chart(i, highlight));
        chart_list.push((place.overlay.clone(), overlay));
    }
    let id = plan.account.id.clone();
    Document {
        template: "account_plan.typ",
        context: minijinja::Value::from(minijinja::value::Serde(&plan)),
        charts: chart_list,
        output,
        ident: format!("kamplan account plan {id}"),
        subject: id,
    }
}

/// The view model of one account plan.
pub fn account_plan(sources: &Sources, meta: &Meta, row: usize) -> AccountPlan {
    let Sources { portfolio, previous, rules, .. } = *sources;
    let locale = rules.locale;
    let date = |d| long_date(locale, d);
    let r = &portfolio.rows[row];
    let file = sources.accounts.get(&r.customer_id);
    let m = &r.metrics;
    let customer = r.customer.as_ref();
    let explanation =
        explain(portfolio, rules, &r.customer_id).expect("the row is in the portfolio");
    let mut matrices = matrix_places(sources, &explanation, row);
    let chosen = explanation.strategy.as_ref().and_then(|s| Some((s, rules.strategy(&s.id)?)));
    let discuss = chosen.map_or_else(Vec::new, |(_, s)| discussions(rules, &explanation, s));
    let when = chosen.and_then(|(_, s)| s.when.as_ref()).map(|w| w.value.as_str()).unwrap_or("");
    mark_charted(rules, &mut matrices, when, &discuss);
    let has_categories = !m.categories.is_empty();
    // The same analyses `explain` prints, so the plan and explain agree.
    let analysis = account_analysis(portfolio, rules, sources.accounts, &sources.intelligence, row);
    let objectives = analysis.objectives;
    let strategy = chosen.map(|(step, s)| strategy_view(sources, step, s, &objectives));
    let mut kpis = kpis(locale, m);
    for kpi in &mut kpis {
        if let Some(o) = objectives.iter().find(|o| o.metric == kpi.metric) {
            (kpi.target, kpi.target_bound) = (o.target, o.bound);
        }
    }
    AccountPlan {
        meta: meta.clone(),
        account: account_header(r, locale),
        kpis,
        categories: category_rows(m),
        recency: Recency {
            last_purchase: m.last_purchase.map(date),
            days_since_last: m.days_since_last,
            median_gap: m.median_gap,
            active_months: m.active_months,
            months: portfolio.period.months,
            last_month: m.last_purchase.map(|d| short_month(locale, d.month_index())),
        },
        outlook: outlook_view(portfolio, row),
        bridge: super::bridge::account_bridge(portfolio, row, locale),
        movement: crate::analysis::bridge::movement(m).name(),
        revenue: m.revenue.to_f64(),
        classifications: class_steps(sources, &explanation, row),
        matrices,
        strategy,
        discuss,
        alerts: alert_lines(rules, &explanation),
        movements: previous
            .map(|p| super::movement::account_moves(portfolio, p, rules, row, &explanation))
            .unwrap_or_default(),
        soft: soft(locale, file, customer),
        cross_sell: cross_sell_view(sources, row),
        swot: analysis.swot,
        objectives,
        control: sources
            .control
            .map(|c| super::control::account_control(c, rules, &portfolio.rows[row].customer_id)),
        charts: ChartPaths {
            monthly: "/charts/monthly.svg".into(),
            mix: has_categories.then(|| "/charts/mix.svg".into()),
            vendogram: has_categories.then(|| "/charts/vendogram.svg".into()),
        },
    }
}

/// The account's name and master data.
fn account_header(r: &crate::classify::PortfolioRow, locale: Locale) -> Account {
    let date = |d| long_date(locale, d);
    let customer = r.customer.as_ref();
    let text =
        |f: fn(&crate::model::records::Customer) -> Option<&String>| customer.and_then(f).cloned();
    Account {
        id: r.customer_id.clone(),
        name: r.name().map(str::to_string),
        title: r.name().unwrap_or(&r.customer_id).to_string(),
        sector: text(|c| c.sector.as_ref()),
        region: text(|c| c.region.as_ref()),
        account_manager: text(|c| c.account_manager.as_ref()),
        relationship_stage: customer.and_then(|c| c.relationship_stage).map(str::to_string),
        customer_since: customer.and_then(|c| c.customer_since).map(date),
        potential: customer.and_then(|c| c.potential).map(|p| p.to_f64()),
        key_client_type: customer.and_then(|c| c.key_client_type.clone()),
        satisfaction: customer.and_then(|c| c.satisfaction).map(|a| a.to_f64()),
        loyalty: customer.and_then(|c| c.loyalty).map(|a| a.to_f64()),
        cost_to_serve: customer.and_then(|c| c.cost_to_serve).map(|a| a.to_f64()),
    }
}

/// The account's class in every classification, with the reason in words for a client.
fn class_steps(sources: &Sources, explanation: &Explanation, row: usize) -> Vec<ClassStep> {
    let Sources { portfolio, rules, .. } = *sources;
    let titles: Vec<ClassificationTitle> = classification_titles(rules);
    explanation
        .classifications
        .iter()
        .zip(&titles)
        .zip(&rules.classifications)
        .map(|((step, t), c)| ClassStep {
            id: step.id.clone(),
            title: t.title.clone(),
            class: step.result.clone(),
            reason: super::humanize(&crate::explain::plain_class_reason(
                portfolio,
                c,
                row,
                rules.locale,
                &rules.currency,
            )),
        })
        .collect()
}

/// The account's place in every matrix, none charted yet.
fn matrix_places(sources: &Sources, explanation: &Explanation, row: usize) -> Vec<MatrixPlace> {
    let Sources { portfolio, rules, .. } = *sources;
    explanation
        .matrices
        .iter()
        .enumerate()
        .map(|(i, step)| MatrixPlace {
            id: step.id.clone(),
            title: step.title.clone(),
            segment: step.segment.clone(),
            segment_title: step.segment_title.clone(),
            x: step.x.result.clone(),
            x_reason: step.x.reason.clone(),
            y: step.y.result.clone(),
            y_reason: step.y.reason.clone(),
            position: {
                let matrix = &rules.matrices[i];
                let x = axis_words(portfolio, rules, &matrix.x, &step.x.result, row);
                let y = axis_words(portfolio, rules, &matrix.y, &step.y.result, row);
                format!("{x}; {y}")
            },
            chart: format!("/charts/matrix-{}.svg", i + 1),
            overlay: format!("/charts/matrix-{}-account.svg", i + 1),
            charted: false,
        })
        .collect()
}

/// The segments whose resource direction contradicts the strategy's, grouped by direction.
fn discussions(
    rules: &Rules,
    explanation: &Explanation,
    strategy: &crate::config::rules::Strategy,
) -> Vec<Discussion> {
    let mut discuss: Vec<Discussion> = Vec::new();
    for step in &explanation.matrices {
        let Some(segment) = rules.segment(&step.segment) else { continue };
        let Some(direction) = segment.resources else { continue };
        if !direction.contradicts(strategy.resources) {
            continue;
        }
        let entry = (segment.title.clone(), step.title.clone());
        match discuss.iter_mut().find(|d| d.segment_resources == direction.name()) {
            Some(d) => d.segments.push(entry),
            None => discuss.push(Discussion {
                segment_resources: direction.name(),
                strategy_resources: strategy.resources.name(),
                segments: vec![entry],
            }),
        }
    }
    discuss
}

/// Chart the matrices that matter most for the plan: those the strategy's
/// condition reads, then those with a segment to discuss, then the rest;
/// never one where the account has no data.
fn mark_charted(rules: &Rules, matrices: &mut [MatrixPlace], when: &str, discuss: &[Discussion]) {
    let discussed =
        |title: &str| discuss.iter().any(|d| d.segments.iter().any(|(_, m)| m == title));
    let mut order: Vec<(u8, usize)> = matrices
        .iter()
        .enumerate()
        .filter(|(i, m)| {
            rules.matrices[*i].missing.as_ref().is_none_or(|missing| missing.value != m.segment)
        })
        .map(|(i, m)| {
            let rank = if when.contains(rules.matrices[i].id.as_str()) {
                0
            } else if discussed(&m.title) {
                1
            } else {
                2
            };
            (rank, i)
        })
        .collect();
    order.sort();
    for &(_, i) in order.iter().take(CHARTED) {
        matrices[i].charted = true;
    }
}

/// The alerts that fired for the account.
fn alert_lines(rules: &Rules, explanation: &Explanation) -> Vec<AlertLine> {
    explanation
        .alerts
        .iter()
        .filter(|a| a.fired)
        .map(|a| AlertLine {
            title: rules
                .alerts
                .iter()
                .find(|rule| rule.id == a.id)
                .map_or_else(|| super::id_in_words(&a.id), |rule| rule.title.clone()),
            id: a.id.clone(),
            severity: a.severity.clone(),
            message: a.message.clone().unwrap_or_default(),
        })
        .collect()
}

/// The account's strategy with its actions dated from the as-of date.
fn strategy_view(
    sources: &Sources,
    step: &StrategyStep,
    strategy: &crate::config::rules::Strategy,
    objectives: &[Objective],
) -> StrategyView {
    let rules = sources.rules;
    let date = |d| long_date(rules.locale, d);
    let as_of = sources.portfolio.period.as_of;
    StrategyView {
        id: strategy.id.clone(),
        title: strategy.title.clone(),
        description: step.description.clone(),
        reason: step.reason.clone(),
        resources: strategy.resources.name(),
        review: strategy.review.clone(),
        next_review: if strategy.review.is_empty() {
            String::new()
        } else {
            date(crate::config::rules::review_interval(&strategy.review).date_after(as_of))
        },
        service_level: strategy.service_level.clone(),
        profile: step.profile.iter().map(|(k, v)| (super::humanize(k), v.clone())).collect(),
        actions: strategy
            .actions
            .iter()
            .zip(&step.actions)
            .map(|(action, text)| {
                let due = action.due.date_after(as_of);
                ActionView {
                    text: text.clone(),
                    owner: rules.role_title(&action.owner.value),
                    due: date(due),
                    due_iso: due.to_string(),
                    kpi: action.kpi.as_ref().and_then(|k| {
                        objectives.iter().find(|o| o.metric == k.metric.value).cloned()
                    }),
                }
            })
            .collect(),
    }
}

/// One axis of a matrix in words: the variable, its value with its unit and
/// the band. A missing value is "not assessed", and a doubtful one says so:
/// neither is a weak customer.
fn axis_words(
    portfolio: &crate::classify::Portfolio,
    rules: &crate::config::rules::Rules,
    axis: &crate::config::rules::Axis,
    band: &str,
    row: usize,
) -> String {
    use crate::classify::facts::Fact;
    use crate::classify::variables::format_of;
    use crate::locale::format::figure;
    let l = rules.locale;
    let variable = axis.variable.value.as_str();
    // Bands numbered like ranks (revenue quality: 1 the highest) read as classes.
    let numbered = |band: &str| {
        if band.chars().all(|c| c.is_ascii_digit()) && !band.is_empty() {
            l.fill(
                "class {band} of {count} (1 the highest)",
                &[("band", &band), ("count", &axis.labels.len())],
            )
        } else {
            band.to_string()
        }
    };
    // A band cut at the portfolio's quantiles reads as the customer's rank
    // ("top 20%"), and a class as itself: each matrix cuts its own
    // quantiles, so one value could be "high" in one matrix and "low" in the
    // next, and the ABC class B is "medium" or "low" as the axis has three
    // bands or two.
    let ranked = match &axis.bands {
        crate::config::rules::Bands::Quantiles(q) if !band.chars().all(|c| c.is_ascii_digit()) => {
            axis.labels.iter().position(|b| b == band).map(|i| rank_words(l, q, i))
        }
        _ => None,
    };
    let band = &ranked.unwrap_or_else(|| numbered(band));
    let categories = matches!(axis.bands, crate::config::rules::Bands::Categories(_));
    let name = if let Some(c) = rules.classifications.iter().find(|c| c.id == variable) {
        let metric = match &c.rule {
            crate::config::rules::ClassRule::Abc(rule) => Some(rule.metric.value.as_str()),
            crate::config::rules::ClassRule::Xyz(_) => None,
        };
        let name = super::classification_name(variable, metric);
        // Two classifications of one kind are told apart by their metric.
        match metric {
            Some(metric) if name != variable.replace('_', " ").to_uppercase() => {
                format!("{name} ({})", crate::classify::variables::label(l, metric))
            }
            _ => name,
        }
    } else {
        crate::classify::variables::label(l, variable)
    };
    if let Some(raw) = portfolio.doubtful_value(variable, row) {
        let value = match format_of(variable) {
            "money" => crate::locale::format::money_with_currency(l, raw, 0, &rules.currency),
            kind => figure(l, kind, raw),
        };
        return l
            .fill("{name} {value}, doubtful: not assessed", &[("name", &name), ("value", &value)]);
    }
    match portfolio.facts.get(variable, row) {
        None | Some(Fact::Null) => l.fill("{name}: not assessed", &[("name", &name)]),
        Some(fact) => match fact.as_f64().filter(|_| !matches!(fact, Fact::Text(_))) {
            Some(x) => {
                let value = match format_of(variable) {
                    "money" => crate::locale::format::money_with_currency(l, x, 0, &rules.currency),
                    kind => figure(l, kind, x),
                };
                l.fill(
                    "{name} {value}: {band}",
                    &[("name", &name), ("value", &value), ("band", &band)],
                )
            }
            None => {
                let value = fact.as_text().unwrap_or_default();
                if value == *band || categories {
                    l.fill("{name} {value}", &[("name", &name), ("value", &value)])
                } else {
                    l.fill(
                        "{name} {value}: {band}",
                        &[("name", &name), ("value", &value), ("band", &band)],
                    )
                }
            }
        },
    }
}

/// Band `i` of an axis cut at the quantiles `q`, as the share of the
/// portfolio the customer ranks in: "top 20%", "bottom 55%", "top 45%, not
/// the top 20%".
fn rank_words(l: Locale, q: &[f64], i: usize) -> String {
    // "nel 20%", "nell'80%" in Italian; the figure alone in English.
    let share = |x: f64| l.article("nel", &crate::locale::format::percent(l, x, 0));
    let top = |q: f64| share(1.0 - q);
    if i >= q.len() {
        l.fill("top {share} of the portfolio", &[("share", &top(q[q.len() - 1]))])
    } else if i == 0 {
        l.fill("bottom {share} of the portfolio", &[("share", &share(q[0]))])
    } else {
        l.fill(
            "top {share} of the portfolio, not the top {higher}",
            &[("share", &top(q[i - 1])), ("higher", &top(q[i]))],
        )
    }
}

fn outlook_view(portfolio: &crate::classify::Portfolio, row: usize) -> Option<OutlookView> {
    let r = &portfolio.rows[row];
    let o = r.outlook?;
    let period = &portfolio.period;
    let outlook = &portfolio.outlook;
    let no_revenue = match (&outlook.spend, o.expected_spend) {
        (_, Some(_)) => None,
        (Err(_), None) => Some("the spend model could not be fitted on this portfolio"),
        (Ok(_), None) => Some("its purchases after the first net to zero or less"),
    };
    Some(OutlookView {
        p_alive: o.p_alive,
        expected_purchases: o.expected_purchases,
        purchases_last_year: r.metrics.history.map_or(0, |h| h.days_last_year),
        single: r.metrics.history.is_some_and(|h| h.days == 1),
        expected_revenue: o.expected_revenue(),
        revenue: r.metrics.revenue.to_f64(),
        pulled: o.expected_revenue().is_some_and(|e| {
            let year = r.metrics.revenue.to_f64() * 12.0 / f64::from(period.months);
            (e - year).abs() > 0.25 * year.abs()
        }),
        value: o.value,
        value_months: outlook.settings.value_months,
        discount_rate: outlook.settings.discount_rate,
        rough: outlook.spend_correlated(),
        no_revenue: no_revenue.map(|t| t.to_string()),
    })
}

fn kpis(locale: Locale, m: &crate::metrics::CustomerMetrics) -> Vec<Kpi> {
    let kpi = |(label, metric): (&str, &'static str),
               value: Option<f64>,
               previous: Option<f64>,
               format| Kpi {
        label: locale.text(label).to_string(),
        metric,
        target: None,
        target_bound: "",
        value,
        previous,
        change: match (value, previous) {
            (Some(v), Some(p)) if p > 0.0 => Some(v / p - 1.0),
            _ => None,
        },
        format,
        doubt: None,
    };
    let revenue = m.revenue.to_f64();
    let mut list =
        vec![kpi(("Revenue", "revenue"), Some(revenue), Some(m.revenue_prev.to_f64()), "money")];
    if let Some(margin) = m.margin {
        let mut tiles = [
            kpi(("Margin", "margin"), Some(margin.to_f64()), None, "money"),
            kpi(("Margin %", "margin_pct"), m.margin_pct, None, "pct"),
        ];
        if m.margin_doubtful() {
            let doubt = locale.text("doubtful: lines without a cost count as 0");
            tiles.iter_mut().for_each(|tile| tile.doubt = Some(doubt.to_string()));
        }
        list.extend(tiles);
    }
    list.push(kpi(("Orders", "orders"), Some(m.orders as f64), None, "count"));
    if let Some(products) = m.products {
        list.push(kpi(("Products bought", "products"), Some(products as f64), None, "count"));
    }
    if m.orders > 0 {
        list.push(kpi(
            ("Average order", "average_order"),
            Some(revenue / m.orders as f64),
            None,
            "money",
        ));
    }
    list.push(kpi(
        ("Days since last purchase", "days_since_last"),
        m.days_since_last.map(|d| d as f64),
        None,
        "days",
    ));
    if let Some(share) = m.share_of_wallet {
        let mut share_kpi = kpi(("Share of wallet", "share_of_wallet"), Some(share), None, "pct");
        if crate::analysis::quality::doubtful_share_of_wallet(m) {
            share_kpi.doubt =
                Some(locale.text("doubtful: revenue above the potential estimate").to_string());
        }
        list.push(share_kpi);
    }
    list
}

fn category_rows(m: &crate::metrics::CustomerMetrics) -> Vec<CategoryRow> {
    let total = m.revenue.to_f64();
    let mut rows: Vec<CategoryRow> = m
        .categories
        .iter()
        .map(|c| {
            let (current, previous) = (c.current.to_f64(), c.previous.to_f64());
            CategoryRow {
                name: c.category.to_string(),
                current,
                previous,
                change: (previous > 0.0).then(|| current / previous - 1.0),
                share: (total > 0.0).then(|| current / total),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.current.total_cmp(&a.current).then(a.name.cmp(&b.name)));
    rows
}

fn soft(
    locale: Locale,
    file: Option<&AccountFile>,
    customer: Option<&crate::model::records::Customer>,
) -> Soft {
    let long_date = |d| long_date(locale, d);
    let contract_expiry =
        customer.and_then(crate::classify::variables::contract_expiry).map(long_date);
    let Some(file) = file else { return Soft { contract_expiry, ..Soft::default() } };
    Soft {
        present: true,
        contract_expiry,
        contract_terms: file.contract_terms.clone(),
        dmu: file
            .dmu
            .iter()
            .map(|p| PersonView {
                name: p.name.clone(),
                role: p.role.clone(),
                influence: p.influence.clone(),
                attitude: p.attitude.clone(),
                criteria: p.criteria.clone(),
            })
            .collect(),
        competitors: file
            .competitors
            .iter()
            .map(|c| CompetitorView {
                name: c.name.clone(),
                products: c.products.clone(),
                share: c.share,
                price_position: c.price_position.clone(),
            })
            .collect(),
        history: file
            .history
            .iter()
            .map(|e| EventView {
                date: long_date(e.date),
                kind: e.kind.clone(),
                subject: e.subject.clone(),
                outcome: e.outcome.clone(),
                reason: e.reason.clone(),
                value: e.value.map(|v| v.to_f64()),
            })
            .collect(),
        objectives: file
            .objectives
            .iter()
            .map(|o| TeamObjective {
                objective: o.objective.clone(),
                measure: o.measure.clone(),
                target: o.target.clone(),
                // Undated, the objective can be neither judged at the next
                // control nor placed before or after the strategy's steps.
                due: Some(
                    o.due.map_or_else(|| locale.text("no date: set one").to_string(), long_date),
                ),
            })
            .collect(),
        notes: file.notes.clone(),
    }
}

fn cross_sell_view(sources: &Sources, row: usize) -> CrossSellView {
    let cross_sell = &sources.intelligence.cross_sell;
    let gaps = cross_sell.gaps(row).to_vec();
    let peers = cross_sell.peers.as_ref().and_then(|variable| {
        let value = sources.portfolio.text(variable, row)?;
        let rules = sources.rules;
        Some(match rules.matrices.iter().find(|m| m.id == *variable) {
            Some(matrix) => {
                let segment = rules.segment(&value).map_or(value.clone(), |s| s.title.clone());
                rules.locale.fill(
                    "customers in the same segment of the {matrix} matrix ({segment})",
                    &[("matrix", &matrix.title), ("segment", &segment)],
                )
            }
            None => rules.locale.fill(
                "customers with the same {variable}: {value}",
                &[("variable", &super::axis_title(rules, variable)), ("value", &value)],
            ),
        })
    });
    CrossSellView {
        peers,
        potential: crate::analysis::cents(gaps.iter().map(|g| g.potential).sum()),
        benchmark: crate::analysis::cents(gaps.iter().map(|g| g.benchmark).sum()),
        min_share: crate::locale::format::percent(
            sources.rules.locale,
            cross_sell.min_peer_share,
            0,
        ),
        gaps,
    }
}
