//! The rules applied to the portfolio, stage by stage: derived metrics,
//! classifications, matrices, alerts and the key-account selection. Each
//! stage reads the variables of the stages before it from the fact table and
//! adds its own columns.
//!
//! Expressions are minijinja expressions, compiled once per rule and run
//! with a fuel limit: a rule cannot loop forever, and minijinja has no way
//! to read files.

use super::abc;
use super::bands::{Breaks, band_of, category_of, quantile_breaks};
use super::facts::{Fact, FactTable, RowView};
use super::xyz;
use crate::config::rules::{AbcMethod, Bands, ClassRule, Matrix, Rules, XyzMethod};
use crate::config::{Diagnostic, Diagnostics, Located};
use crate::locale::Locale;
use crate::metrics::{CustomerMetrics, Moments};
use crate::model::fields::closest;
use crate::model::{Amount, Bound};
use minijinja::{Environment, Value};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Steps of work an expression may take before it is stopped.
const FUEL: u64 = 20_000;

/// Most operators (with dots, filters, calls and brackets) one expression, or
/// one `{{ }}` or `{% %}` of a text, may hold. minijinja builds a chain of
/// operators into a tree as deep as the chain is long and walks it
/// recursively, so a chain of thousands overflows the stack before any error
/// can be reported; a rule written by hand uses a few dozen.
pub const MAX_OPERATORS: usize = 500;

/// The environment rule expressions and texts run in: the default filters
/// plus the figure filters the documents' templates have (`money`, `pct`,
/// `num`, `date`, …; see [`crate::locale::filters`]), each writing as the
/// documents' language does.
pub fn rule_environment(locale: Locale, currency: &str) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    crate::locale::filters::add(&mut env, locale, currency);
    env
}

/// What the rules made of the portfolio, beyond the fact columns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleResults {
    /// Per matrix, the breaks used on the x and y axes (quantiles resolved).
    pub matrix_breaks: Vec<(Vec<f64>, Vec<f64>)>,
    /// The limits of every ABC classification of method "computed".
    pub computed_limits: Vec<ComputedLimits>,
    /// Expressions that failed for some customers: rule, customer, error.
    pub errors: Vec<String>,
}

/// The limits the ABC curve gave a classification of method "computed".
#[derive(Clone, Debug, PartialEq)]
pub struct ComputedLimits {
    /// The classification's id and the metric it ranks.
    pub id: String,
    pub metric: String,
    /// `None`: the curve gave no limits (see `abc::computed`).
    pub cut: Option<abc::ComputedCut>,
}

/// The variables every customer has before any rule runs.
pub fn base_names(facts: &FactTable) -> BTreeSet<String> {
    facts.names().iter().cloned().collect()
}

/// Checks every name and expression of the rules, all problems at once. Each
/// stage sees only the variables of the stages before it (a derived metric
/// cannot use a class, an alert cannot use `key_account`), and no rule may
/// take the name of an existing variable.
pub fn check_rules(
    rules: &Rules,
    base: &BTreeSet<String>,
    env: &Environment<'static>,
) -> Vec<Diagnostic> {
    let mut issues = Vec::new();
    let mut scope = base.clone();
    for d in &rules.derived {
        check_expression(rules, env, &d.expression, &scope, &mut issues);
        claim(&mut scope, &d.name, "metric", &d.expression.place, &mut issues);
    }
    for c in &rules.classifications {
        if let ClassRule::Abc(rule) = &c.rule
            && !scope.contains(&rule.metric.value)
        {
            issues.push(unknown(rules, "metric", &rule.metric.value, &rule.metric.place, &scope));
        }
    }
    for c in &rules.classifications {
        let place = match &c.rule {
            ClassRule::Abc(rule) => rule.metric.place.clone(),
            ClassRule::Xyz(_) => crate::config::Place { file: "rules".into(), line: 1, col: 1 },
        };
        claim(&mut scope, &c.id, "classification", &place, &mut issues);
        scope.insert(format!("{}_distance", c.id));
    }
    for m in &rules.matrices {
        for axis in [&m.x, &m.y] {
            if !scope.contains(&axis.variable.value) {
                issues.push(unknown(
                    rules,
                    "variable",
                    &axis.variable.value,
                    &axis.variable.place,
                    &scope,
                ));
            }
        }
        claim(&mut scope, &m.id, "matrix", &m.x.variable.place, &mut issues);
    }
    for alert in &rules.alerts {
        check_expression(rules, env, &alert.when, &scope, &mut issues);
    }
    scope.insert("alerts".into());
    if let Some(when) = &rules.key_accounts.when {
        check_expression(rules, env, when, &scope, &mut issues);
    }
    scope.insert("key_account".into());
    for when in rules.strategies.iter().filter_map(|s| s.when.as_ref()) {
        check_expression(rules, env, when, &scope, &mut issues);
    }
    scope.insert("strategy".into());
    for alert in &rules.alerts {
        check_template(rules, env, &alert.message, &scope, &mut issues);
    }
    for strategy in &rules.strategies {
        let texts = std::iter::once(&strategy.description)
            .chain(&strategy.reason)
            .chain(strategy.profile.iter().map(|(_, t)| t))
            .chain(strategy.actions.iter().map(|a| &a.text));
        for text in texts {
            check_template(rules, env, text, &scope, &mut issues);
        }
    }
    for kpi in rules.strategies.iter().flat_map(|s| &s.actions).filter_map(|a| a.kpi.as_ref()) {
        if !scope.contains(&kpi.metric.value) {
            issues.push(unknown(rules, "metric", &kpi.metric.value, &kpi.metric.place, &scope));
        }
    }
    for segment in &rules.segments {
        check_template(rules, env, &segment.description, &scope, &mut issues);
        for text in segment.actions.iter().chain(segment.treatment.iter().map(|(_, t)| t)) {
            check_template(rules, env, text, &scope, &mut issues);
        }
    }
    for objective in rules.segments.iter().flat_map(|s| &s.objectives) {
        if !scope.contains(&objective.metric.value) {
            issues.push(unknown(
                rules,
                "metric",
                &objective.metric.value,
                &objective.metric.place,
                &scope,
            ));
        }
    }
    if let Some(cross_sell) = &rules.cross_sell
        && !scope.contains(&cross_sell.peers.value)
    {
        let peers = &cross_sell.peers;
        issues.push(unknown(rules, "variable", &peers.value, &peers.place, &scope));
    }
    for expectation in &rules.expectations {
        for (variable, _) in &expectation.expected {
            if !scope.contains(&variable.value) {
                issues.push(unknown(rules, "variable", &variable.value, &variable.place, &scope));
            }
        }
    }
    issues
}

/// Adds a rule's name to the scope, or reports that it is taken.
fn claim(
    scope: &mut BTreeSet<String>,
    name: &str,
    what: &str,
    place: &crate::config::Place,
    issues: &mut Vec<Diagnostic>,
) {
    if !scope.insert(name.to_string()) {
        issues.push(place.issue(format!(
            "the {what} \"{name}\" takes the name of an existing variable; choose another"
        )));
    }
}

/// An unknown name, with the closest known one; when a rejected rule would
/// have defined it, a problem that follows from that rule's.
fn unknown(
    rules: &Rules,
    what: &str,
    name: &str,
    place: &crate::config::Place,
    scope: &BTreeSet<String>,
) -> Diagnostic {
    let closest = closest(name, scope.iter().map(String::as_str));
    let problem = place.issue(format!("unknown {what} \"{name}\"")).with_focus(name);
    rules.unknown_name(problem.suggesting(closest), name)
}

/// The operators of an expression: symbols, the word operators and the
/// brackets, dots, filters and calls that also nest; strings are skipped.
fn operators(expression: &str) -> usize {
    const WORDS: [&str; 7] = ["and", "or", "not", "in", "is", "if", "else"];
    let mut count = 0;
    let mut chars = expression.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                // A string literal: up to the closing quote, past escapes.
                while let Some(d) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == c {
                        break;
                    }
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut word = String::from(c);
                while let Some(&d) = chars.peek().filter(|d| d.is_alphanumeric() || **d == '_') {
                    word.push(d);
                    chars.next();
                }
                count += usize::from(WORDS.contains(&word.as_str()));
            }
            '+' | '-' | '*' | '/' | '%' | '~' | '<' | '>' | '=' | '!' => {
                // `==`, `!=`, `<=`, `>=`, `**` and `//` are one operator each.
                let pair = chars.peek().is_some_and(|&d| {
                    (d == '=' && "=!<>".contains(c)) || (d == c && "*/".contains(c))
                });
                if pair {
                    chars.next();
                }
                count += 1;
            }
            '|' | '.' | '(' | '[' | '{' => count += 1,
            _ => {}
        }
    }
    count
}

/// The expressions of a text: what its `{{ }}` and `{% %}` hold (an
/// unclosed one runs to the end).
fn tags(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = [rest.find("{{"), rest.find("{%")].into_iter().flatten().min()?;
        let close = if rest[start..].starts_with("{{") { "}}" } else { "%}" };
        let inner = &rest[start + 2..];
        let end = inner.find(close).unwrap_or(inner.len());
        rest = &inner[(end + close.len()).min(inner.len())..];
        Some(&inner[..end])
    })
}

/// An issue when an expression (or a tag of a text) holds more operators
/// than minijinja can compile safely; checked before it is compiled.
fn too_long(text: &Located<String>, template: bool) -> Option<Diagnostic> {
    let most = if template {
        tags(&text.value).map(operators).max().unwrap_or(0)
    } else {
        operators(&text.value)
    };
    (most > MAX_OPERATORS).then(|| {
        let what = if template { "an expression of this text" } else { "this expression" };
        text.place.issue(format!(
            "{what} has {most} operators; at most {MAX_OPERATORS} are allowed: split it, e.g. into derived metrics under [metrics]"
        ))
    })
}

fn check_expression(
    rules: &Rules,
    env: &Environment<'static>,
    text: &Located<String>,
    scope: &BTreeSet<String>,
    issues: &mut Vec<Diagnostic>,
) {
    if let Some(issue) = too_long(text, false) {
        issues.push(issue);
        return;
    }
    match env.compile_expression(&text.value) {
        // A trial run with every variable undefined finds unknown filters and tests.
        Ok(expr) => check_compiled(
            rules,
            expr.undeclared_variables(false),
            expr.eval(()).err(),
            text,
            scope,
            issues,
        ),
        Err(e) => {
            issues.push(text.place.issue(format!("expression does not compile: {}", describe(&e))))
        }
    }
}

fn check_template(
    rules: &Rules,
    env: &Environment<'static>,
    text: &Located<String>,
    scope: &BTreeSet<String>,
    issues: &mut Vec<Diagnostic>,
) {
    if let Some(issue) = too_long(text, true) {
        issues.push(issue);
        return;
    }
    match env.template_from_str(&text.value) {
        Ok(template) => check_compiled(
            rules,
            template.undeclared_variables(false),
            template.render(()).err(),
            text,
            scope,
            issues,
        ),
        Err(e) => issues.push(text.place.issue(format!("text does not compile: {}", describe(&e)))),
    }
}

/// Reports the names a compiled expression or text uses that are not in scope,
/// and an unknown filter, test or function its trial run met.
fn check_compiled(
    rules: &Rules,
    names: std::collections::HashSet<String>,
    trial: Option<minijinja::Error>,
    text: &Located<String>,
    scope: &BTreeSet<String>,
    issues: &mut Vec<Diagnostic>,
) {
    for name in sorted(names) {
        if !scope.contains(&name) {
            issues.push(unknown(rules, "variable", &name, &text.place, scope));
        }
    }
    if let Some(e) = trial {
        report_unknown_callable(&e, text, issues);
    }
}

fn report_unknown_callable(
    e: &minijinja::Error,
    text: &Located<String>,
    issues: &mut Vec<Diagnostic>,
) {
    use minijinja::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::UnknownFilter
            | ErrorKind::UnknownTest
            | ErrorKind::UnknownFunction
            | ErrorKind::UnknownMethod
    ) {
        issues.push(text.place.issue(describe(e)));
    }
}

fn sorted(names: std::collections::HashSet<String>) -> Vec<String> {
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort();
    names
}

/// A minijinja error in one line.
fn describe(e: &minijinja::Error) -> String {
    let detail = e.detail().map_or_else(String::new, |d| format!(": {d}"));
    format!("{}{detail}", e.kind())
}

/// Applies the rules, adding their columns to `facts`. `metrics` are the
/// customers' metrics in row order, for XYZ. Fails only when the rules name
/// something that does not exist (see [`check_rules`]).
pub fn apply_rules(
    rules: &Rules,
    facts: FactTable,
    metrics: &[&CustomerMetrics],
    months: u32,
) -> Result<(FactTable, RuleResults), Diagnostics> {
    let env = rule_environment(rules.locale, &rules.currency);
    let issues = check_rules(rules, &base_names(&facts), &env);
    if !issues.is_empty() {
        return Err(Diagnostics(issues));
    }
    let mut results = RuleResults::default();
    let mut facts = facts;
    for derived in &rules.derived {
        let column;
        (facts, column) = shared(facts, |table| {
            evaluate(
                &env,
                &derived.expression,
                table,
                &derived.name,
                &mut results.errors,
                true,
                |v| Fact::from_value(&v),
            )
        });
        facts.set(&derived.name, column);
    }
    for c in &rules.classifications {
        let (classes, distances) = match &c.rule {
            ClassRule::Abc(rule) => {
                let (classes, distances, cut) = classify_abc(&facts, rule);
                if rule.method == AbcMethod::Computed {
                    results.computed_limits.push(ComputedLimits {
                        id: c.id.clone(),
                        metric: rule.metric.value.clone(),
                        cut,
                    });
                }
                (classes, distances)
            }
            ClassRule::Xyz(rule) => classify_xyz(metrics, months, rule),
        };
        let names = c.rule.classes();
        facts.set(&c.id, classes.iter().map(|&i| Fact::Text(names[i].clone())).collect());
        facts.set(
            &format!("{}_distance", c.id),
            distances.into_iter().map(|d| d.map_or(Fact::Null, Fact::Number)).collect(),
        );
    }
    for matrix in &rules.matrices {
        let (segments, breaks) = place_in_matrix(&facts, matrix);
        facts.set(&matrix.id, segments);
        results.matrix_breaks.push(breaks);
    }
    let mut fired: Vec<Vec<String>> = vec![Vec::new(); facts.rows()];
    for alert in &rules.alerts {
        let column;
        (facts, column) = shared(facts, |table| {
            evaluate(&env, &alert.when, table, &alert.id, &mut results.errors, false, |v| {
                Fact::Count(i64::from(v.is_true()))
            })
        });
        for (row, fact) in column.iter().enumerate() {
            if *fact == Fact::Count(1) {
                fired[row].push(alert.id.clone());
            }
        }
    }
    facts.set("alerts", fired.into_iter().map(Fact::List).collect());
    let selected;
    (facts, selected) = shared(facts, |table| match &rules.key_accounts.when {
        Some(when) => {
            evaluate(&env, when, table, "key_accounts", &mut results.errors, false, |v| {
                Fact::Count(i64::from(v.is_true()))
            })
        }
        None => vec![Fact::Count(0); table.rows()],
    });
    let ids: Vec<String> =
        facts.column("customer_id").unwrap_or(&[]).iter().filter_map(Fact::as_text).collect();
    let key: Vec<Fact> = selected
        .iter()
        .zip(&ids)
        .map(|(fact, id)| {
            let chosen = (*fact == Fact::Count(1) || rules.key_accounts.include.contains(id))
                && !rules.key_accounts.exclude.contains(id);
            Fact::Count(i64::from(chosen))
        })
        .collect();
    facts.set("key_account", key);
    let chosen;
    (facts, chosen) = shared(facts, |table| choose_strategies(&env, rules, table, &mut results));
    facts.set("strategy", chosen);
    let failures;
    (facts, failures) = shared(facts, |table| render_texts(&env, rules, table));
    if !failures.is_empty() {
        return Err(Diagnostics(failures));
    }
    Ok((facts, results))
}

/// Each customer's strategy: the id of the first entry of the strategy
/// table whose condition holds (null when none does, which `check` warns
/// about: the table should end with a catch-all).
fn choose_strategies(
    env: &Environment<'static>,
    rules: &Rules,
    table: &Arc<FactTable>,
    results: &mut RuleResults,
) -> Vec<Fact> {
    let mut chosen: Vec<Fact> = vec![Fact::Null; table.rows()];
    for strategy in &rules.strategies {
        let holds = match &strategy.when {
            Some(when) => {
                let rule = format!("strategy {}", strategy.id);
                evaluate(env, when, table, &rule, &mut results.errors, false, |v| {
                    Fact::Count(i64::from(v.is_true()))
                })
            }
            None => vec![Fact::Count(1); table.rows()],
        };
        for (slot, fact) in chosen.iter_mut().zip(holds) {
            if slot.is_null() && fact == Fact::Count(1) {
                *slot = Fact::Text(strategy.id.clone());
            }
        }
    }
    chosen
}

/// Renders each text the documents and tables show for a customer (a fired
/// alert's message, the description and actions of its segments) as they
/// will be rendered, and returns one issue per text that fails for some
/// customer, at the text's place, naming the rule and the first such
/// customer. A text that fails (a filter given a value the customer lacks,
/// say) so stops the run, instead of its error showing as the text.
fn render_texts(
    env: &Environment<'static>,
    rules: &Rules,
    facts: &Arc<FactTable>,
) -> Vec<Diagnostic> {
    let rows = facts.rows();
    let alerts_column = facts.column("alerts").unwrap_or(&[]);
    let mut texts: Vec<(String, &Located<String>, Vec<usize>)> = Vec::new();
    for alert in &rules.alerts {
        let fired = (0..rows)
            .filter(|&row| match alerts_column.get(row) {
                Some(Fact::List(ids)) => ids.contains(&alert.id),
                _ => false,
            })
            .collect();
        texts.push((format!("the message of alert \"{}\"", alert.id), &alert.message, fired));
    }
    // The customers of each segment, over all matrices.
    let mut members: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for matrix in &rules.matrices {
        for (row, fact) in facts.column(&matrix.id).unwrap_or(&[]).iter().enumerate() {
            if let Fact::Text(segment) = fact {
                members.entry(segment.as_str()).or_default().push(row);
            }
        }
    }
    let strategies = facts.column("strategy").unwrap_or(&[]);
    for strategy in &rules.strategies {
        let rows: Vec<usize> = (0..rows)
            .filter(|&r| strategies.get(r).and_then(Fact::as_text).as_deref() == Some(&strategy.id))
            .collect();
        let name = format!("strategy \"{}\"", strategy.id);
        let all = std::iter::once(("the description", &strategy.description))
            .chain(strategy.reason.iter().map(|r| ("the reason", r)))
            .chain(strategy.profile.iter().map(|(_, t)| ("a profile entry", t)))
            .chain(strategy.actions.iter().map(|a| ("an action", &a.text)));
        for (what, text) in all {
            texts.push((format!("{what} of {name}"), text, rows.clone()));
        }
    }
    for segment in &rules.segments {
        let rows = members.get(segment.id.as_str()).cloned().unwrap_or_default();
        let name = format!("segment \"{}\"", segment.id);
        texts.push((format!("the description of {name}"), &segment.description, rows.clone()));
        for action in &segment.actions {
            texts.push((format!("an action of {name}"), action, rows.clone()));
        }
    }
    let mut issues = Vec::new();
    for (what, text, rows) in texts {
        // A text without tags renders as written.
        if rows.is_empty() || !(text.value.contains("{{") || text.value.contains("{%")) {
            continue;
        }
        let Ok(template) = env.template_from_str(&text.value) else { continue };
        let failures = in_parallel(&rows, |chunk| {
            chunk
                .iter()
                .filter_map(|&row| {
                    template.render(RowView::value(facts, row)).err().map(|e| (row, e))
                })
                .collect()
        });
        if let Some((row, e)) = failures.first() {
            let id = facts.get("customer_id", *row).and_then(Fact::as_text).unwrap_or_default();
            let others = match failures.len() - 1 {
                0 => String::new(),
                1 => " and 1 other".to_string(),
                n => format!(" and {n} others"),
            };
            issues.push(
                text.place
                    .issue(format!("{what} fails for customer {id}{others}: {}", describe(e))),
            );
        }
    }
    issues
}

/// Evaluates an expression for every row. With `null_in_null_out`, a row
/// whose evaluation fails while one of the expression's variables is null
/// gives null (derived metrics: `margin - cost_to_serve` is unknown without
/// both), so `x if x is not none else 3` still works.
fn evaluate(
    env: &Environment<'static>,
    expression: &Located<String>,
    facts: &Arc<FactTable>,
    rule: &str,
    errors: &mut Vec<String>,
    null_in_null_out: bool,
    convert: impl Fn(Value) -> Fact + Sync,
) -> Vec<Fact> {
    let compiled = env.compile_expression(&expression.value).expect("checked by check_rules");
    let variables: Vec<String> = sorted(compiled.undeclared_variables(false));
    let evaluate_row =
        |row: usize, errors: &mut Vec<String>| match compiled.eval(RowView::value(facts, row)) {
            Ok(value) => convert(value),
            // `margin - cost_to_serve` without a cost to serve is unknown, not an error.
            Err(_)
                if null_in_null_out
                    && variables.iter().any(|v| facts.get(v, row).is_none_or(Fact::is_null)) =>
            {
                Fact::Null
            }
            Err(e) => {
                let id = facts.get("customer_id", row).and_then(Fact::as_text).unwrap_or_default();
                errors.push(format!("{rule}: customer {id}: {}", describe(&e)));
                Fact::Null
            }
        };
    let rows: Vec<usize> = (0..facts.rows()).collect();
    let parts = in_parallel(&rows, |chunk| {
        let mut errors = Vec::new();
        let column: Vec<Fact> = chunk.iter().map(|&row| evaluate_row(row, &mut errors)).collect();
        vec![(column, errors)]
    });
    let mut column = Vec::with_capacity(rows.len());
    for (part, part_errors) in parts {
        column.extend(part);
        errors.extend(part_errors);
    }
    column
}

/// Maps consecutive chunks of `items` on all cores and concatenates the
/// results in order, so the outcome does not depend on timing. Customers are
/// independent of each other in every per-customer computation.
pub fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&[T]) -> Vec<R> + Sync) -> Vec<R> {
    let threads =
        std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len() / 4096).max(1);
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let work = &work;
        let handles: Vec<_> =
            items.chunks(chunk).map(|part| scope.spawn(move || work(part))).collect();
        handles.into_iter().flat_map(|h| h.join().expect("worker panicked")).collect()
    })
}

/// Runs `stage` with the table shared for row views, then hands it back for new columns.
fn shared<T>(facts: FactTable, stage: impl FnOnce(&Arc<FactTable>) -> T) -> (FactTable, T) {
    let table = Arc::new(facts);
    let result = stage(&table);
    let facts = Arc::try_unwrap(table).expect("row views do not outlive their evaluation");
    (facts, result)
}

/// ABC classes (indices), for each customer how close its value is to the
/// nearest customer of a neighbouring class (see
/// `abc::distances_to_neighbour_classes`), and the computed method's limits.
fn classify_abc(
    facts: &FactTable,
    rule: &crate::config::rules::AbcRule,
) -> (Vec<usize>, Vec<Option<f64>>, Option<abc::ComputedCut>) {
    let ids: Vec<String> =
        facts.column("customer_id").unwrap_or(&[]).iter().filter_map(Fact::as_text).collect();
    let nulls = vec![Fact::Null; facts.rows()];
    let column = facts.column(&rule.metric.value).unwrap_or(&nulls);
    let units = |f: &Fact| match f {
        Fact::Amount(a) => Some(i128::from(a.units())),
        Fact::Count(n) => Some(i128::from(*n)),
        Fact::Number(x) => Amount::from_f64_rounded(*x).map(|a| i128::from(a.units())),
        _ => None,
    };
    let values: Vec<(&str, Option<i128>)> =
        ids.iter().map(String::as_str).zip(column.iter().map(units)).collect();
    let (classes, cut) = match &rule.method {
        AbcMethod::CumulativeShare(bounds) => (abc::cumulative_share(&values, bounds), None),
        AbcMethod::RankShare(cumulative) => (abc::rank_share(&values, cumulative), None),
        AbcMethod::Computed => abc::computed(&values),
    };
    let distances = abc::distances_to_neighbour_classes(&values, &classes);
    (classes, distances, cut)
}

/// XYZ classes and the relative distance of the decisive figure (cv or active share) to the nearest bound.
fn classify_xyz(
    metrics: &[&CustomerMetrics],
    months: u32,
    rule: &crate::config::rules::XyzRule,
) -> (Vec<usize>, Vec<Option<f64>>) {
    metrics
        .iter()
        .map(|m| match &rule.method {
            XyzMethod::Cv(bounds) => {
                let class = xyz::by_cv(&m.monthly_revenue, bounds);
                let distance =
                    Moments::of(&m.monthly_revenue).sum.is_positive().then_some(m.cv).flatten();
                (class, distance.and_then(|cv| nearest_relative(cv, bounds)))
            }
            XyzMethod::Frequency(bounds) => {
                let class = xyz::by_frequency(m.active_months, months, bounds);
                let share = f64::from(m.active_months) / f64::from(months.max(1));
                (class, nearest_relative(share, bounds))
            }
        })
        .unzip()
}

/// `min |x − b| / b` over the positive boundaries.
fn nearest_relative(x: f64, boundaries: &[Bound]) -> Option<f64> {
    boundaries
        .iter()
        .map(|b| b.to_f64())
        .filter(|b| *b > 0.0)
        .map(|b| (x - b).abs() / b)
        .min_by(f64::total_cmp)
}

/// The cell (x band, y band) of every customer in a matrix, given the breaks
/// the rules resolved; `None` for a customer in the matrix's missing-data
/// segment.
pub fn matrix_cells(
    facts: &FactTable,
    matrix: &Matrix,
    (x_breaks, y_breaks): (&[f64], &[f64]),
) -> Vec<Option<(usize, usize)>> {
    let nulls = vec![Fact::Null; facts.rows()];
    let band = |axis: &crate::config::rules::Axis, breaks: &[f64]| -> Vec<Option<usize>> {
        let column = facts.column(&axis.variable.value).unwrap_or(&nulls);
        let missing = matrix.missing.is_some();
        let prepared = Breaks::new(breaks);
        column
            .iter()
            .map(|v| match &axis.bands {
                _ if missing && v.is_null() => None,
                Bands::Categories(categories) => Some(category_of(v, categories).unwrap_or(0)),
                Bands::Breaks(_) | Bands::Quantiles(_) => Some(band_of(v, &prepared)),
            })
            .collect()
    };
    let xs = band(&matrix.x, x_breaks);
    let ys = band(&matrix.y, y_breaks);
    xs.into_iter().zip(ys).map(|(x, y)| Some((x?, y?))).collect()
}

/// The segment of every customer in a matrix, and the breaks used on each axis.
fn place_in_matrix(facts: &FactTable, matrix: &Matrix) -> (Vec<Fact>, (Vec<f64>, Vec<f64>)) {
    let band = |axis: &crate::config::rules::Axis| -> (Vec<usize>, Vec<f64>) {
        let nulls = vec![Fact::Null; facts.rows()];
        let column = facts.column(&axis.variable.value).unwrap_or(&nulls);
        match &axis.bands {
            Bands::Categories(categories) => (
                column.iter().map(|v| category_of(v, categories).unwrap_or(0)).collect(),
                Vec::new(),
            ),
            Bands::Breaks(breaks) => {
                let prepared = Breaks::new(breaks);
                (column.iter().map(|v| band_of(v, &prepared)).collect(), breaks.clone())
            }
            Bands::Quantiles(quantiles) => {
                let breaks = quantile_breaks(column, quantiles);
                let prepared = Breaks::new(&breaks);
                (column.iter().map(|v| band_of(v, &prepared)).collect(), breaks)
            }
        }
    };
    let (xs, x_breaks) = band(&matrix.x);
    let (ys, y_breaks) = band(&matrix.y);
    let is_null = |variable: &str, row: usize| facts.get(variable, row).is_none_or(Fact::is_null);
    let segments = xs
        .iter()
        .zip(&ys)
        .enumerate()
        .map(|(row, (&x, &y))| match &matrix.missing {
            Some(missing)
                if is_null(&matrix.x.variable.value, row)
                    || is_null(&matrix.y.variable.value, row) =>
            {
                Fact::Text(missing.value.clone())
            }
            _ => Fact::Text(matrix.cells[y][x].value.clone()),
        })
        .collect();
    (segments, (x_breaks, y_breaks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_counted_outside_strings() {
        assert_eq!(operators("revenue + revenue > 0"), 2);
        assert_eq!(operators("a == 1 and b != 2 or c <= 3 ** 2"), 6);
        assert_eq!(operators("---x"), 3);
        assert_eq!(operators("name is not none and name | length > 3"), 5);
        assert_eq!(operators("x in ['a + b', \"c == \\\" d\"]"), 2);
        assert_eq!(operators("f(x.y)[0]"), 3);
        let tags: Vec<&str> =
            tags("Sold {{ revenue | money }} in {% if a %}x{% endif %} {{ open").collect();
        assert_eq!(tags, [" revenue | money ", " if a ", " endif ", " open"]);
    }

    #[test]
    fn parallel_chunks_keep_the_order() {
        let items: Vec<u32> = (0..50_000).collect();
        let doubled = in_parallel(&items, |chunk| chunk.iter().map(|x| x * 2).collect());
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!(in_parallel(&[] as &[u32], |chunk| chunk.to_vec()).is_empty());
    }
}
