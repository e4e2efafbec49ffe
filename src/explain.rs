//! Why a customer ended up where it did: every metric, each classification
//! step, each matrix axis, each alert's condition. For `kamplan explain`.

use crate::classify::Portfolio;
use crate::classify::bands::{Breaks, band_of, category_of};
use crate::classify::engine::rule_environment;
use crate::classify::facts::{Fact, RowView};
use crate::classify::xyz;
use crate::config::rules::{
    AbcMethod, AbcRule, Axis, Bands, ClassRule, Classification, Rules, XyzMethod, XyzRule,
};
use crate::locale::Locale;
use crate::metrics::Moments;
use serde::Serialize;
use std::fmt;

/// The explanation of one customer.
#[derive(Debug, Serialize)]
pub struct Explanation {
    pub customer_id: String,
    pub name: Option<String>,
    pub as_of: String,
    pub window: String,
    /// Every variable before the rules ran: (name, value; empty when none).
    pub metrics: indexmap::IndexMap<String, String>,
    /// Metrics whose value is doubtful: shown above as measured, missing for the rules.
    pub doubtful: Vec<String>,
    pub derived: indexmap::IndexMap<String, String>,
    pub classifications: Vec<Step>,
    pub matrices: Vec<MatrixStep>,
    pub alerts: Vec<AlertStep>,
    pub key_account: Step,
    /// The strategy chosen, and the rules tried before it.
    pub strategy: Option<StrategyStep>,
    /// Classes and segments in the previous window against now, when the
    /// previous window was classified (see `with_movements`).
    pub movements: Vec<crate::migration::Movement>,
    /// The language the explanation is shown in (the project's).
    #[serde(skip)]
    pub locale: Locale,
}

impl Explanation {
    /// Adds the customer's classes and segments in the previous window.
    pub fn with_movements(mut self, current: &Portfolio, previous: &Portfolio) -> Explanation {
        if let Some(row) = current.row_of(&self.customer_id) {
            self.movements = crate::migration::movements(current, previous, row);
        }
        self
    }
}

/// A decision and the reason for it.
#[derive(Debug, Serialize)]
pub struct Step {
    pub id: String,
    pub result: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct MatrixStep {
    pub id: String,
    pub title: String,
    pub x: Step,
    pub y: Step,
    pub segment: String,
    pub segment_title: String,
    /// The segment's playbook for this customer: description and actions, interpolated.
    pub description: String,
    pub actions: Vec<String>,
}

/// How the strategy table was walked for one customer: the entries tried in
/// order, none of which held, then the first that did.
#[derive(Debug, Serialize)]
pub struct StrategyStep {
    pub id: String,
    pub title: String,
    /// The entry's condition (empty for the catch-all) and the values it tested.
    pub condition: String,
    pub values: Vec<(String, String)>,
    /// Why it applies, in words: the entry's `reason` text, or the condition with its values.
    pub reason: String,
    pub description: String,
    pub profile: Vec<(String, String)>,
    pub actions: Vec<String>,
    /// The entries before it, (id, condition): each was false for the customer.
    pub tried: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct AlertStep {
    pub id: String,
    pub severity: String,
    pub condition: String,
    pub fired: bool,
    pub message: Option<String>,
}

/// Explains the customer `customer_id`, or `None` when it is not in the portfolio.
pub fn explain(portfolio: &Portfolio, rules: &Rules, customer_id: &str) -> Option<Explanation> {
    let row = portfolio.row_of(customer_id)?;
    let period = portfolio.period;
    let text = |name: &str| portfolio.text(name, row).unwrap_or_default();
    let derived = rules.derived.iter().map(|d| (d.name.clone(), text(&d.name))).collect();
    let classifications = rules
        .classifications
        .iter()
        .map(|c| Step {
            id: c.id.clone(),
            result: text(&c.id),
            reason: class_reason(portfolio, c, row, rules.locale),
        })
        .collect();
    let mut matrices = matrix_steps(portfolio, rules, row);
    let texts = Texts {
        env: rule_environment(rules.locale, &rules.currency),
        context: RowView::value(&portfolio.facts, row),
    };
    let key = portfolio.is_key_account(row);
    for step in &mut matrices {
        if let Some(segment) = rules.segment(&step.segment) {
            step.description = texts.render(&segment.description.value);
            step.actions = segment.actions.iter().map(|a| texts.render(&a.value)).collect();
        }
    }
    let strategy = strategy_step(portfolio, rules, row, &texts);
    let alerts = alert_steps(portfolio, rules, row, &texts);
    let (metrics, doubtful) = metric_values(portfolio, rules, row);
    Some(Explanation {
        customer_id: customer_id.to_string(),
        name: portfolio.rows[row].name().map(str::to_string),
        as_of: period.as_of.to_string(),
        window: rules.locale.fill(
            "{start} to {end} ({n} months)",
            &[
                ("start", &crate::locale::format::long_date(rules.locale, period.start())),
                ("end", &crate::locale::format::long_date(rules.locale, period.as_of)),
                ("n", &period.months),
            ],
        ),
        locale: rules.locale,
        metrics,
        doubtful,
        derived,
        classifications,
        matrices,
        alerts,
        key_account: Step {
            id: "key_accounts".into(),
            result: if key { "yes" } else { "no" }.into(),
            reason: key_account_reason(rules, customer_id, key),
        },
        strategy,
        movements: Vec::new(),
    })
}

/// The rules' texts rendered with one customer's values.
struct Texts {
    env: minijinja::Environment<'static>,
    context: minijinja::Value,
}

impl Texts {
    /// Render a text of the rules; a text that fails shows its error.
    fn render(&self, text: &str) -> String {
        self.env.render_str(text, self.context.clone()).unwrap_or_else(|e| e.to_string())
    }
}

/// The customer's computed figures: every fact that no rule produced, a
/// doubtful one as measured (the rules see it as missing); and the names of
/// the doubtful ones.
fn metric_values(
    portfolio: &Portfolio,
    rules: &Rules,
    row: usize,
) -> (indexmap::IndexMap<String, String>, Vec<String>) {
    let rule_names: Vec<&str> = rules
        .derived
        .iter()
        .map(|d| d.name.as_str())
        .chain(rules.classifications.iter().flat_map(|c| [c.id.as_str()]))
        .chain(rules.matrices.iter().map(|m| m.id.as_str()))
        .collect();
    let mut values = indexmap::IndexMap::new();
    let mut doubtful = Vec::new();
    let measured = portfolio
        .facts
        .names()
        .iter()
        .filter(|n| !rule_names.contains(&n.as_str()) && !n.ends_with("_distance"))
        .filter(|n| {
            !matches!(n.as_str(), "alerts" | "key_account" | "strategy" | "customer_id" | "name")
        });
    for n in measured {
        let shown = match portfolio.doubtful_value(n, row) {
            Some(measured) => {
                doubtful.push(n.clone());
                crate::locale::format::plain(measured)
            }
            None => portfolio.text(n, row).unwrap_or_default(),
        };
        values.insert(n.clone(), shown);
    }
    (values, doubtful)
}

/// Where the customer falls on each matrix's axes and the segment that gives,
/// without the segments' texts yet.
fn matrix_steps(portfolio: &Portfolio, rules: &Rules, row: usize) -> Vec<MatrixStep> {
    rules
        .matrices
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (x_breaks, y_breaks) = &portfolio.results.matrix_breaks[i];
            let segment = portfolio.text(&m.id, row).unwrap_or_default();
            let step = |axis: &Axis, breaks: &[f64]| {
                let mut step = axis_step(portfolio, axis, breaks, row, rules.locale);
                let missing =
                    portfolio.facts.get(&axis.variable.value, row).is_none_or(Fact::is_null);
                if let (true, Some(segment)) = (missing, &m.missing) {
                    step.result = "none".into();
                    step.reason = missing_reason(portfolio, rules, row, axis, &segment.value);
                }
                step
            };
            MatrixStep {
                id: m.id.clone(),
                title: m.title.clone(),
                x: step(&m.x, x_breaks),
                y: step(&m.y, y_breaks),
                segment_title: rules.segment(&segment).map(|s| s.title.clone()).unwrap_or_default(),
                segment,
                description: String::new(),
                actions: Vec::new(),
            }
        })
        .collect()
}

/// Why an axis without a usable value sends the customer to the missing-data segment.
fn missing_reason(
    portfolio: &Portfolio,
    rules: &Rules,
    row: usize,
    axis: &Axis,
    segment: &str,
) -> String {
    let name = variable(rules.locale, &axis.variable.value);
    let segment = segment_name(rules, segment);
    match doubt(portfolio, &axis.variable.value, row, rules.locale) {
        Some((value, why)) => rules.locale.fill(
            "{variable} {value} {why}: the missing-data segment {segment}",
            &[("variable", &name), ("value", &value), ("why", &why), ("segment", &segment)],
        ),
        None => rules.locale.fill(
            "{variable} has no value: the missing-data segment {segment}",
            &[("variable", &name), ("segment", &segment)],
        ),
    }
}

/// The customer's strategy, why it applies and the strategies tried before it.
fn strategy_step(
    portfolio: &Portfolio,
    rules: &Rules,
    row: usize,
    texts: &Texts,
) -> Option<StrategyStep> {
    let id = portfolio.text("strategy", row)?;
    let at = rules.strategies.iter().position(|s| s.id == id)?;
    let s = &rules.strategies[at];
    let condition = s.when.as_ref().map(|w| w.value.clone()).unwrap_or_default();
    let values = condition_values(&texts.env, portfolio, row, &condition);
    let reason = match &s.reason {
        Some(text) => texts.render(&text.value),
        None if condition.is_empty() => rules.locale.text("no earlier strategy applies").into(),
        None => {
            let shown: Vec<String> = values.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            rules.locale.fill(
                "`{condition}` is true ({values})",
                &[("condition", &condition), ("values", &shown.join(", "))],
            )
        }
    };
    Some(StrategyStep {
        id: s.id.clone(),
        title: s.title.clone(),
        condition,
        values,
        reason,
        description: texts.render(&s.description.value),
        profile: s.profile.iter().map(|(k, v)| (k.clone(), texts.render(&v.value))).collect(),
        actions: s.actions.iter().map(|a| texts.render(&a.text.value)).collect(),
        tried: rules.strategies[..at]
            .iter()
            .map(|t| (t.id.clone(), t.when.as_ref().map(|w| w.value.clone()).unwrap_or_default()))
            .collect(),
    })
}

/// Every alert of the rules, whether it fired for the customer and its message if so.
fn alert_steps(portfolio: &Portfolio, rules: &Rules, row: usize, texts: &Texts) -> Vec<AlertStep> {
    let fired = portfolio.alerts(row);
    rules
        .alerts
        .iter()
        .map(|a| {
            let on = fired.contains(&a.id);
            let message = on.then(|| texts.render(&a.message.value));
            AlertStep {
                id: a.id.clone(),
                severity: a.severity.name().into(),
                condition: a.when.value.clone(),
                fired: on,
                message,
            }
        })
        .collect()
}

/// An alert that fired for a customer, with its message rendered.
#[derive(Clone, Debug, PartialEq)]
pub struct FiredAlert {
    /// The customer's row in the portfolio.
    pub row: usize,
    /// The alert's index in the rules.
    pub alert: usize,
    pub message: String,
}

/// Every alert fired in the portfolio, by customer then in rule order, with
/// its message rendered for that customer as `explain` renders it.
pub fn fired_alerts(portfolio: &Portfolio, rules: &Rules) -> Vec<FiredAlert> {
    let env = rule_environment(rules.locale, &rules.currency);
    let templates: Vec<_> =
        rules.alerts.iter().map(|a| env.template_from_str(&a.message.value)).collect();
    let rows: Vec<usize> = (0..portfolio.rows.len()).collect();
    crate::classify::engine::in_parallel(&rows, |chunk| {
        let mut fired = Vec::new();
        for &row in chunk {
            let ids = portfolio.alerts(row);
            if ids.is_empty() {
                continue;
            }
            let context = RowView::value(&portfolio.facts, row);
            for (alert, a) in rules.alerts.iter().enumerate() {
                if !ids.contains(&a.id) {
                    continue;
                }
                let message = match &templates[alert] {
                    Ok(template) => {
                        template.render(context.clone()).unwrap_or_else(|e| e.to_string())
                    }
                    Err(e) => e.to_string(),
                };
                fired.push(FiredAlert { row, alert, message });
            }
        }
        fired
    })
}

/// The variables a condition reads, with the customer's values.
fn condition_values(
    env: &minijinja::Environment<'static>,
    portfolio: &Portfolio,
    row: usize,
    condition: &str,
) -> Vec<(String, String)> {
    let Ok(compiled) = env.compile_expression(condition) else { return Vec::new() };
    let mut names: Vec<String> = compiled.undeclared_variables(false).into_iter().collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let value = match portfolio.facts.get(&name, row) {
                Some(Fact::List(items)) if items.is_empty() => "none".to_string(),
                Some(Fact::List(items)) => items.join(", "),
                Some(fact) => shown(Locale::En, fact),
                None => "none".to_string(),
            };
            (name, value)
        })
        .collect()
}

fn key_account_reason(rules: &Rules, id: &str, key: bool) -> String {
    let k = &rules.key_accounts;
    let l = rules.locale;
    if k.exclude.iter().any(|e| e == id) {
        return l.text("listed in exclude").into();
    }
    if k.include.iter().any(|e| e == id) {
        return l.text("listed in include").into();
    }
    match &k.when {
        Some(when) if key => l.fill("`{condition}` is true", &[("condition", &when.value)]),
        Some(when) => l.fill("`{condition}` is false", &[("condition", &when.value)]),
        None => l.text("no key-account condition in the rules").into(),
    }
}

/// A variable as the reasons name it: its id in English, which `explain`
/// and the rule files share; its name in words in another language.
pub(crate) fn variable(locale: Locale, id: &str) -> String {
    match locale {
        Locale::En => id.to_string(),
        _ => crate::classify::variables::label(locale, id),
    }
}

/// A segment as the reasons name it: its id in English, like variables;
/// its title in another language.
fn segment_name(rules: &Rules, id: &str) -> String {
    match (rules.locale, rules.segment(id)) {
        (Locale::En, _) | (_, None) => id.to_string(),
        (_, Some(segment)) => segment.title.clone(),
    }
}

/// A ratio in a reason: two decimals, as the bounds are written.
pub(crate) fn percent(locale: Locale, x: f64) -> String {
    crate::locale::format::percent(locale, x, 2)
}

/// The reason for a customer's class, in words.
fn class_reason(portfolio: &Portfolio, c: &Classification, row: usize, l: Locale) -> String {
    match &c.rule {
        ClassRule::Abc(rule) => abc_reason(portfolio, &c.id, rule, row, l),
        ClassRule::Xyz(rule) => {
            let m = &portfolio.rows[row].metrics;
            match &rule.method {
                XyzMethod::Cv(bounds) => cv_reason(m, rule, bounds, l),
                XyzMethod::Frequency(bounds) => {
                    frequency_reason(m, portfolio.period.months, rule, bounds, l)
                }
            }
        }
    }
}

/// The reason for an ABC class: the figure, its rank and the bound it falls under.
fn abc_reason(portfolio: &Portfolio, id: &str, rule: &AbcRule, row: usize, l: Locale) -> String {
    let percent = |x| percent(l, x);
    let column = portfolio.facts.column(&rule.metric.value).unwrap_or(&[]);
    let raw = column.get(row).and_then(Fact::as_text).unwrap_or_default();
    let value = metric_shown(l, &rule.metric.value, &raw);
    let ranking = portfolio.ranking(&rule.metric.value);
    let metric = &variable(l, &rule.metric.value);
    let Some(rank) = ranking.ranks[row] else {
        return l.fill(
            "{metric} is {value}: not positive, so the last class",
            &[("metric", metric), ("value", &value)],
        );
    };
    let ranked = ranking.positive;
    match &rule.method {
        AbcMethod::CumulativeShare(bounds) => {
            let before = ranking.shares_before[row].unwrap_or(0.0);
            let class = share_class(bounds, before);
            l.fill(
                "{metric} {value}, rank {rank} of {ranked}; the customers ahead hold {share} of the total, below the {class} bound {bound}",
                &[
                    ("metric", metric),
                    ("value", &value),
                    ("rank", &rank),
                    ("ranked", &ranked),
                    ("share", &percent(before)),
                    ("class", &rule.classes[class]),
                    ("bound", &percent(bounds[class].to_f64())),
                ],
            )
        }
        AbcMethod::Computed => match portfolio.computed_cut(id) {
            Some(cut) => {
                let [ab, bc] = [cut.ab, cut.bc]
                    .map(|units| shown(l, &portfolio.units_fact(&rule.metric.value, units)));
                l.fill(
                    "{metric} {value}, rank {rank} of {ranked}; the ABC curve's limits: {first} above {ab}, {last} below {bc}",
                    &[
                        ("metric", metric),
                        ("value", &value),
                        ("rank", &rank),
                        ("ranked", &ranked),
                        ("first", &rule.classes[0]),
                        ("ab", &ab),
                        ("last", &rule.classes[2]),
                        ("bc", &bc),
                    ],
                )
            }
            None => l.fill(
                "{metric} {value}; the ABC curve gives no limits (the values are too even): every positive value is {class}",
                &[("metric", metric), ("value", &value), ("class", &rule.classes[1])],
            ),
        },
        AbcMethod::RankShare(cumulative) => {
            let n = portfolio.rows.len() as u64;
            let class = rank_class(cumulative, rank as u64, n);
            l.fill(
                "{metric} {value}, rank {rank} of {n} customers; {class} takes ranks up to ceil({share}·{n}) = {last}",
                &[
                    ("metric", metric),
                    ("value", &value),
                    ("rank", &rank),
                    ("n", &n),
                    ("class", &rule.classes[class]),
                    ("share", &readable(l, cumulative[class].to_f64())),
                    ("last", &cumulative[class].ceil_times(n)),
                ],
            )
        }
    }
}

/// The reason for an XYZ class by coefficient of variation: the cv against the bounds.
fn cv_reason(
    m: &crate::metrics::CustomerMetrics,
    rule: &XyzRule,
    bounds: &[crate::model::Bound],
    l: Locale,
) -> String {
    if !Moments::of(&m.monthly_revenue).sum.is_positive() {
        return l.text("mean monthly revenue is not positive, so the last class").into();
    }
    let cv = crate::locale::format::number(l, m.cv.unwrap_or(0.0), 4);
    match within_bound(xyz::by_cv(&m.monthly_revenue, bounds), bounds) {
        Some(i) => l.fill(
            "cv {cv} is at most the {class} bound {bound}",
            &[
                ("cv", &cv),
                ("class", &rule.classes[i]),
                ("bound", &readable(l, bounds[i].to_f64())),
            ],
        ),
        None => l.fill(
            "cv {cv} is above every bound ({bounds})",
            &[
                ("cv", &cv),
                ("bounds", &list(l, &bounds.iter().map(|b| b.to_f64()).collect::<Vec<_>>(), false)),
            ],
        ),
    }
}

/// The class the classifier chose, when a bound holds it; `None` past the
/// last bound (the last class).
fn within_bound(class: usize, bounds: &[crate::model::Bound]) -> Option<usize> {
    (class < bounds.len()).then_some(class)
}

/// The reason for an XYZ class by purchase frequency: active months against the bounds.
fn frequency_reason(
    m: &crate::metrics::CustomerMetrics,
    months: u32,
    rule: &XyzRule,
    bounds: &[crate::model::Bound],
    l: Locale,
) -> String {
    let percent = |x| percent(l, x);
    let share = f64::from(m.active_months) / f64::from(months);
    match within_bound(xyz::by_frequency(m.active_months, months, bounds), bounds) {
        Some(i) => l.fill(
            "bought in {active} of {months} months ({share}), at least the {class} bound {bound}",
            &[
                ("active", &m.active_months),
                ("months", &months),
                ("share", &percent(share)),
                ("class", &rule.classes[i]),
                ("bound", &readable(l, bounds[i].to_f64())),
            ],
        ),
        None => l.fill(
            "bought in {active} of {months} months ({share}), below every bound",
            &[("active", &m.active_months), ("months", &months), ("share", &percent(share))],
        ),
    }
}

/// Why the customer in row `row` has its class of `rule`, in words for a
/// client: the figure with its unit, where it ranks and what the class
/// takes, without the bounds' arithmetic `explain` shows.
pub fn plain_class_reason(
    portfolio: &Portfolio,
    c: &Classification,
    row: usize,
    l: Locale,
    currency: &str,
) -> String {
    match &c.rule {
        ClassRule::Abc(rule) => plain_abc_reason(portfolio, &c.id, rule, row, l, currency),
        ClassRule::Xyz(rule) => {
            let m = &portfolio.rows[row].metrics;
            match &rule.method {
                XyzMethod::Cv(bounds) => plain_cv_reason(m, rule, bounds, l),
                XyzMethod::Frequency(bounds) => {
                    plain_frequency_reason(m, portfolio.period.months, rule, bounds, l)
                }
            }
        }
    }
}

/// An ABC class for a client: the figure, its place by size and what the class takes.
fn plain_abc_reason(
    portfolio: &Portfolio,
    id: &str,
    rule: &AbcRule,
    row: usize,
    l: Locale,
    currency: &str,
) -> String {
    use crate::locale::format;
    let pct = |x: f64| format::percent(l, x, 0);
    let metric = &rule.metric.value;
    let name = crate::classify::variables::label(l, metric);
    let ranking = portfolio.ranking(metric);
    let Some(rank) = ranking.ranks[row] else {
        return l.fill("No {metric} in the period: the last class.", &[("metric", &name)]);
    };
    let value = whole_figure(l, portfolio.facts.get(metric, row), currency);
    let figures: Vec<(&str, &dyn fmt::Display)> =
        vec![("metric", &name), ("value", &value), ("rank", &rank), ("ranked", &ranking.positive)];
    match &rule.method {
        AbcMethod::CumulativeShare(bounds) => {
            let before = ranking.shares_before[row].unwrap_or(0.0);
            let class = share_class(bounds, before);
            if class == 0 {
                let first = l.the(&pct(bounds[0].to_f64()));
                let figures = [&figures[..], &[("first", &first as &dyn fmt::Display)]].concat();
                l.fill(
                    "{metric} {value}, number {rank} of {ranked} by size: one of the largest customers, who together make the first {first} of the total.",
                    &figures,
                )
            } else {
                let (before, past) = (l.the(&pct(before)), l.the(&pct(bounds[class - 1].to_f64())));
                let figures = [
                    &figures[..],
                    &[
                        ("before", &before as &dyn fmt::Display),
                        ("past", &past as &dyn fmt::Display),
                        ("previous", &rule.classes[class - 1] as &dyn fmt::Display),
                    ],
                ]
                .concat();
                l.fill(
                    "{metric} {value}, number {rank} of {ranked} by size: the larger customers already make {before} of the total, more than the first {past} that class {previous} takes.",
                    &figures,
                )
            }
        }
        AbcMethod::Computed => {
            let index = classes_index(rule, portfolio.text(id, row));
            let class = &rule.classes[index];
            let Some(cut) = portfolio.computed_cut(id) else {
                return l.fill(
                    "{metric} {value}: the customers' figures are too even for their distribution to set limits, so every customer with a figure above zero is in class {class}.",
                    &[("metric", &name), ("value", &value), ("class", class)],
                );
            };
            let [ab, bc] = [cut.ab, cut.bc]
                .map(|units| whole_figure(l, Some(&portfolio.units_fact(metric, units)), currency));
            let figures = [
                &figures[..],
                &[
                    ("class", class as &dyn fmt::Display),
                    ("ab", &ab as &dyn fmt::Display),
                    ("bc", &bc as &dyn fmt::Display),
                    ("first", &rule.classes[0] as &dyn fmt::Display),
                    ("middle", &rule.classes[1] as &dyn fmt::Display),
                ],
            ]
            .concat();
            let english = match index {
                0 => {
                    "{metric} {value}, number {rank} of {ranked} by size: above {ab}, the class {class} threshold computed from the distribution of all customers."
                }
                1 => {
                    "{metric} {value}, number {rank} of {ranked} by size: from {bc} to {ab}, the class {class} thresholds computed from the distribution of all customers."
                }
                _ => {
                    "{metric} {value}, number {rank} of {ranked} by size: below {bc}, the class {middle} threshold computed from the distribution of all customers."
                }
            };
            l.fill(english, &figures)
        }
        AbcMethod::RankShare(cumulative) => {
            let n = portfolio.rows.len() as u64;
            let class = rank_class(cumulative, rank as u64, n);
            let last = cumulative[class].ceil_times(n);
            let figures = [
                &figures[..],
                &[
                    ("class", &rule.classes[class] as &dyn fmt::Display),
                    ("last", &last as &dyn fmt::Display),
                ],
            ]
            .concat();
            l.fill(
                "{metric} {value}, number {rank} of {ranked} by size: class {class} takes the customers up to number {last}.",
                &figures,
            )
        }
    }
}

/// An XYZ class by coefficient of variation for a client: how much monthly revenue moves.
fn plain_cv_reason(
    m: &crate::metrics::CustomerMetrics,
    rule: &XyzRule,
    bounds: &[crate::model::Bound],
    l: Locale,
) -> String {
    let pct = |x: f64| crate::locale::format::percent(l, x, 0);
    let Some(cv) = m.cv.filter(|_| Moments::of(&m.monthly_revenue).sum.is_positive()) else {
        return l.text("No revenue whose regularity can be measured: the last class.").into();
    };
    let moves = l.article("del", &pct(cv));
    let pct = |x: f64| l.article("del", &pct(x));
    match within_bound(xyz::by_cv(&m.monthly_revenue, bounds), bounds) {
        Some(i) => l.fill(
            "Monthly revenue moves by {moves} around its average, within the limit of {bound} for class {class}.",
            &[("moves", &moves), ("bound", &pct(bounds[i].to_f64())), ("class", &rule.classes[i])],
        ),
        None => {
            let last = bounds.len() - 1;
            l.fill(
                "Monthly revenue moves by {moves} around its average, beyond the limit of {bound} for class {class}.",
                &[("moves", &moves), ("bound", &pct(bounds[last].to_f64())), ("class", &rule.classes[last])],
            )
        }
    }
}

/// An XYZ class by purchase frequency for a client: the months bought in.
fn plain_frequency_reason(
    m: &crate::metrics::CustomerMetrics,
    months: u32,
    rule: &XyzRule,
    bounds: &[crate::model::Bound],
    l: Locale,
) -> String {
    let at_least =
        |b: &crate::model::Bound| (b.to_f64() * f64::from(months) - 1e-9).ceil().max(0.0) as u32;
    match within_bound(xyz::by_frequency(m.active_months, months, bounds), bounds) {
        Some(i) => l.fill(
            "Bought in {active} of {months} months; class {class} takes those buying in at least {needed}.",
            &[("active", &m.active_months), ("months", &months), ("class", &rule.classes[i]), ("needed", &at_least(&bounds[i]))],
        ),
        None => {
            let last = bounds.len() - 1;
            l.fill(
                "Bought in {active} of {months} months, fewer than the {needed} of class {class}.",
                &[("active", &m.active_months), ("months", &months), ("class", &rule.classes[last]), ("needed", &at_least(&bounds[last]))],
            )
        }
    }
}

/// The class of a customer the customers ahead of which hold `before` of
/// the total, under cumulative-share bounds.
fn share_class(bounds: &[crate::model::Bound], before: f64) -> usize {
    bounds.iter().position(|b| before < b.to_f64()).unwrap_or(bounds.len() - 1)
}

/// A figure of an ABC metric as a client reads it: money in whole units
/// with its currency, anything else a whole number.
pub(crate) fn whole_figure(l: Locale, fact: Option<&Fact>, currency: &str) -> String {
    let x = fact.and_then(Fact::as_f64).unwrap_or(0.0);
    match fact {
        Some(Fact::Amount(_)) => crate::locale::format::money_with_currency(l, x, 0, currency),
        _ => crate::locale::format::number(l, x, 0),
    }
}

/// The index of a customer's class among the rule's classes (the last when unknown).
fn classes_index(rule: &AbcRule, class: Option<String>) -> usize {
    let last = rule.classes.len() - 1;
    class.and_then(|c| rule.classes.iter().position(|k| *k == c)).unwrap_or(last)
}

/// The class of the customer at `rank` of `n`, under rank-share bounds.
fn rank_class(cumulative: &[crate::model::Bound], rank: u64, n: u64) -> usize {
    cumulative.iter().position(|b| rank <= b.ceil_times(n)).unwrap_or(cumulative.len() - 1)
}

/// An axis's band for the customer, and why.
fn axis_step(portfolio: &Portfolio, axis: &Axis, breaks: &[f64], row: usize, l: Locale) -> Step {
    let value = portfolio.facts.get(&axis.variable.value, row).cloned().unwrap_or(Fact::Null);
    let ratio = crate::classify::variables::format_of(&axis.variable.value) == "pct";
    let shown = match (&value, value.as_f64()) {
        (Fact::Number(_) | Fact::Amount(_), Some(x)) if ratio => percent(l, x),
        (value, _) => shown(l, value),
    };
    let variable = &variable(l, &axis.variable.value);
    let (band, reason) = match &axis.bands {
        Bands::Categories(categories) => match category_of(&value, categories) {
            Some(i) => {
                (i, l.fill("{variable} is {value}", &[("variable", variable), ("value", &shown)]))
            }
            None => (
                0,
                l.fill(
                    "{variable} is {value}, not one of the categories: first band",
                    &[("variable", variable), ("value", &shown)],
                ),
            ),
        },
        Bands::Breaks(_) | Bands::Quantiles(_) => {
            let band = band_of(&value, &Breaks::new(breaks));
            let kind = if matches!(axis.bands, Bands::Quantiles(_)) {
                l.text("quantile breaks")
            } else {
                l.text("breaks")
            };
            let at = |i: usize| {
                if ratio { percent(l, breaks[i]) } else { readable(l, breaks[i]) }
            };
            let all = list(l, breaks, ratio);
            let figures: [(&str, &dyn fmt::Display); 4] =
                [("variable", variable), ("value", &shown), ("kind", &kind), ("breaks", &all)];
            let reason = if let Some((value, why)) = doubt(portfolio, &axis.variable.value, row, l)
            {
                l.fill(
                    "{variable} {value} {why}: the lowest band",
                    &[("variable", variable), ("value", &value), ("why", &why)],
                )
            } else if value.is_null() {
                l.fill("{variable} has no value: the lowest band", &figures)
            } else if band == 0 {
                let bound = at(0);
                let figures = [&figures[..], &[("bound", &bound as &dyn fmt::Display)]].concat();
                l.fill("{variable} {value} is below {bound} ({kind} {breaks})", &figures)
            } else if band == breaks.len() {
                let bound = at(band - 1);
                let figures = [&figures[..], &[("bound", &bound as &dyn fmt::Display)]].concat();
                l.fill("{variable} {value} is at least {bound} ({kind} {breaks})", &figures)
            } else {
                let (low, high) = (at(band - 1), at(band));
                let bounds: [(&str, &dyn fmt::Display); 2] = [("low", &low), ("high", &high)];
                let figures = [&figures[..], &bounds[..]].concat();
                l.fill("{variable} {value} is between {low} and {high} ({kind} {breaks})", &figures)
            };
            (band, reason)
        }
    };
    Step { id: axis.variable.value.clone(), result: axis.labels[band].clone(), reason }
}

/// A number for a sentence: thousands grouped, as many decimals as its size
/// needs (2 from 100 up, 3 from 1, 4 below), trailing zeros dropped.
pub fn readable(locale: Locale, x: f64) -> String {
    let decimals = if x.abs() >= 100.0 {
        2
    } else if x.abs() >= 1.0 {
        3
    } else {
        4
    };
    let text = crate::locale::format::number(locale, x, decimals);
    let point = crate::locale::format::decimal_sign(locale);
    if text.contains(point) {
        text.trim_end_matches('0').trim_end_matches(point).to_string()
    } else {
        text
    }
}

/// A variable's value for a sentence: numbers readable, text as it is.
fn shown(locale: Locale, value: &Fact) -> String {
    match value {
        Fact::Amount(a) => readable(locale, a.to_f64()),
        Fact::Number(x) => readable(locale, *x),
        other => other.as_text().unwrap_or_else(|| "none".into()),
    }
}

/// A doubtful value set aside for the rules, as measured, and why it is
/// doubtful: `(133.9%, "is above 100%, so …")`.
fn doubt(portfolio: &Portfolio, name: &str, row: usize, l: Locale) -> Option<(String, String)> {
    use crate::classify::variables::{find, format_of};
    let raw = portfolio.doubtful_value(name, row)?;
    let why = find(name)?.doubtful.as_ref()?.why.get(l);
    Some((crate::locale::format::figure(l, format_of(name), raw), why.to_string()))
}

/// Axis breaks for a sentence, as percentages when the variable is a ratio.
fn list(locale: Locale, breaks: &[f64], ratio: bool) -> String {
    // A semicolon keeps the list readable where the comma is the decimal sign.
    let separator = if locale == Locale::It { "; " } else { ", " };
    let one = |b: f64| if ratio { percent(locale, b) } else { readable(locale, b) };
    breaks.iter().map(|b| one(*b)).collect::<Vec<_>>().join(separator)
}

/// A variable's value as a person reads it, by the variable's kind: ratios
/// as percentages, amounts with two decimals, counts grouped, dates in
/// words; the value as the rules see it otherwise.
fn metric_shown(locale: Locale, name: &str, raw: &str) -> String {
    use crate::locale::format;
    if raw.is_empty() {
        return locale.text("none").to_string();
    }
    let Ok(x) = raw.parse::<f64>() else {
        return match crate::model::Date::parse_iso(raw) {
            Some(date) => format::long_date(locale, date),
            None => raw.to_string(),
        };
    };
    match crate::classify::variables::format_of(name) {
        "pct" => format::percent(locale, x, 2),
        "money" => format::number(locale, x, 2),
        "decimal" => readable(locale, x),
        _ => format::number(locale, x, 0),
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = self.locale;
        let t = |english: &'static str| l.text(english);
        let none = t("none");
        let name = self.name.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
        writeln!(f, "{}{name}", self.customer_id)?;
        writeln!(f, "{} {}", t("window"), self.window)?;
        writeln!(f, "\n{}", t("metrics"))?;
        for (k, v) in self.metrics.iter().chain(&self.derived) {
            let doubt = if self.doubtful.contains(k) { t(" (doubtful: set aside)") } else { "" };
            writeln!(f, "  {k:<26} {}{doubt}", metric_shown(l, k, v))?;
        }
        writeln!(f, "\n{}", t("classifications"))?;
        for s in &self.classifications {
            writeln!(f, "  {:<12} {:<4} {}", s.id, s.result, s.reason)?;
        }
        writeln!(f, "\n{}", t("matrices"))?;
        for m in &self.matrices {
            writeln!(f, "  {} ({})  →  {} ({})", m.id, m.title, m.segment, m.segment_title)?;
            for (axis, step) in [("x", &m.x), ("y", &m.y)] {
                let band = if step.result == "none" { none } else { &step.result };
                writeln!(f, "      {axis} {band:<10} {}", step.reason)?;
            }
            for action in &m.actions {
                writeln!(f, "      - {action}")?;
            }
        }
        writeln!(f, "\n{}", t("alerts"))?;
        for a in &self.alerts {
            let mark = if a.fired { t("FIRED") } else { t("no") };
            writeln!(
                f,
                "  {:<5} {:<28} [{}] {}",
                mark,
                a.id,
                t(severity_name(&a.severity)),
                a.condition
            )?;
            if let Some(message) = &a.message {
                writeln!(f, "        {message}")?;
            }
        }
        let key = if self.key_account.result == "yes" { t("yes") } else { t("no") };
        writeln!(f, "\n{}: {key} ({})", t("key account"), self.key_account.reason)?;
        if let Some(s) = &self.strategy {
            writeln!(f, "\n{}", t("strategy (the first entry that holds)"))?;
            for (id, condition) in &s.tried {
                writeln!(f, "  {:<6}{id:<28} {condition}", t("no"))?;
            }
            let condition = if s.condition.is_empty() { t("(catch-all)") } else { &s.condition };
            writeln!(f, "  {} {:<27} {condition}", t("CHOSEN"), s.id)?;
            if !s.values.is_empty() {
                let values: Vec<String> = s
                    .values
                    .iter()
                    .map(|(k, v)| format!("{k} = {}", metric_shown(l, k, v)))
                    .collect();
                writeln!(
                    f,
                    "        {}",
                    l.fill("with {values}", &[("values", &values.join(", "))])
                )?;
            }
            writeln!(f, "        {}: {}", s.title, s.reason)?;
            for action in &s.actions {
                writeln!(f, "        - {action}")?;
            }
        }
        if !self.movements.is_empty() {
            writeln!(f, "\n{}", t("since the previous window"))?;
            for m in &self.movements {
                let before = m.before.as_deref().unwrap_or(none);
                let now = m.now.as_deref().unwrap_or(none);
                let mark =
                    if before == now { String::new() } else { format!("  {}", t("(changed)")) };
                writeln!(f, "  {:<26} {before} → {now}{mark}", m.id)?;
            }
        }
        Ok(())
    }
}

/// The severity words, for translation (the rules write them in English).
fn severity_name(severity: &str) -> &'static str {
    match severity {
        "high" => "high",
        "medium" => "medium",
        "low" => "low",
        _ => "info",
    }
}
