//! Strategies: the prescription, apart from the diagnosis. The matrices say
//! where an account stands; the `[strategy.ID]` entries, in the order
//! written, decide what to do about it. The first whose `when` holds is the
//! account's one strategy (a decision table with a "first" hit policy); the
//! last has no `when` and catches everyone else. A strategy carries its
//! treatment profile, an action plan (each action with an owner role, a due
//! date after the analysis date and, where it fits, a KPI with its target),
//! one review cadence and one service level.

use super::Objective;
use super::raw::{RawAction, RawStrategy, Text};
use super::texts::TextChooser;
use crate::config::{Diagnostic, IssueSink, Located, Place};
use crate::model::Date;
use indexmap::IndexMap;
use toml::Spanned;

/// Where a strategy or a segment points the account's resources: what makes
/// two pieces of advice contradict each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Resources {
    Invest,
    Maintain,
    Reduce,
    Withdraw,
}

impl Resources {
    pub const NAMES: [&str; 4] = ["invest", "maintain", "reduce", "withdraw"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// Reads a direction as a rule file writes it, reporting any other
    /// word at its place.
    pub(super) fn read(sink: &mut IssueSink, value: &Spanned<String>) -> Option<Resources> {
        let all = [Resources::Invest, Resources::Maintain, Resources::Reduce, Resources::Withdraw];
        let found = Self::NAMES.iter().position(|n| *n == value.get_ref()).map(|i| all[i]);
        if found.is_none() {
            one_of(sink, "resource direction", value, &Self::NAMES);
        }
        found
    }

    /// Whether following both would move resources in opposite directions:
    /// adding effort on one side, taking it away on the other.
    pub fn contradicts(self, other: Resources) -> bool {
        let adds = |r: Resources| r == Resources::Invest;
        let takes = |r: Resources| matches!(r, Resources::Reduce | Resources::Withdraw);
        (adds(self) && takes(other)) || (takes(self) && adds(other))
    }
}

/// How often an account is reviewed.
pub const REVIEWS: [&str; 4] = ["monthly", "quarterly", "half-yearly", "yearly"];

/// The time to the next review of a cadence of `REVIEWS`.
pub fn review_interval(review: &str) -> Due {
    match review {
        "monthly" => Due::Months(1),
        "quarterly" => Due::Months(3),
        "half-yearly" => Due::Months(6),
        _ => Due::Months(12),
    }
}
/// The service levels, best first.
pub const SERVICE_LEVELS: [&str; 4] = ["premium", "enhanced", "standard", "basic"];

/// When an action is due, counted from the analysis date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    Days(u32),
    Months(u32),
}

impl Due {
    /// Reads "10 days", "2 weeks", "3 months" (singular too).
    fn parse(text: &str) -> Result<Due, String> {
        let expected = || {
            format!(
                "\"{text}\" is not a due time; expected a number of days, weeks or months, such as \"10 days\", \"2 weeks\" or \"3 months\""
            )
        };
        let (number, unit) = text.trim().split_once(' ').ok_or_else(expected)?;
        let n: u32 = number.parse().map_err(|_| expected())?;
        if n == 0 || n > 36 * 31 {
            return Err(format!(
                "\"{text}\": a due time is at least one day and at most three years"
            ));
        }
        match unit.trim() {
            "day" | "days" => Ok(Due::Days(n)),
            "week" | "weeks" => Ok(Due::Days(n * 7)),
            "month" | "months" if n <= 36 => Ok(Due::Months(n)),
            _ => Err(expected()),
        }
    }

    /// The due date of an action planned on `from`. A month later than the
    /// 31st is the last day of the shorter month, and months counted from a
    /// month's end end at a month's end (30 June + 1 month = 31 July), as an
    /// analysis date usually is.
    pub fn date_after(self, from: Date) -> Date {
        match self {
            Due::Days(n) => Date::from_days(from.days() + n as i32),
            Due::Months(n) => {
                let month = from.month_index() + n as i32;
                let last = Date::last_of_month(month);
                if from == Date::last_of_month(from.month_index()) {
                    return last;
                }
                let day = from.day().min(last.day());
                Date::from_days(Date::first_of_month(month).days() + day as i32 - 1)
            }
        }
    }
}

/// One step of a strategy's action plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub text: Located<String>,
    /// A role id of `[role]`.
    pub owner: Located<String>,
    pub due: Due,
    /// The measure that tells the action worked, with its target.
    pub kpi: Option<Objective>,
}

/// One entry of the strategy table.
#[derive(Clone, Debug, PartialEq)]
pub struct Strategy {
    pub id: String,
    /// `None`: the catch-all, matching every customer.
    pub when: Option<Located<String>>,
    /// Where the entry starts, for problems about the entry as a whole.
    pub place: Place,
    pub title: String,
    pub description: Located<String>,
    /// Why it applies to a customer, in words: a text with the customer's
    /// values (`{{ days_since_last }}`); without it the plan shows the
    /// condition and the values it tested.
    pub reason: Option<Located<String>>,
    pub resources: Resources,
    /// Empty when the strategy gives none, like the service level.
    pub review: String,
    pub service_level: String,
    /// Treatment profile: dimension → text, in the order written.
    pub profile: Vec<(String, Located<String>)>,
    pub actions: Vec<Action>,
}

/// An owner role named by actions.
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub id: String,
    pub title: String,
}

fn located(sink: &IssueSink, value: Spanned<String>) -> Located<String> {
    let place = sink.place(Some(value.span().start));
    Located { value: value.into_inner(), place }
}

fn text(sink: &mut IssueSink, texts: &mut TextChooser, raw: Text) -> Located<String> {
    let place = sink.place(Some(raw.span().start));
    Located { value: texts.shown(sink, raw), place }
}

/// Checks a name against a fixed list, at its place.
fn one_of(sink: &mut IssueSink, what: &str, value: &Spanned<String>, names: &[&str]) -> bool {
    if names.contains(&value.get_ref().as_str()) {
        return true;
    }
    sink.at(
        Some(value.span().start),
        format!("unknown {what} \"{}\"; expected one of {}", value.get_ref(), names.join(", ")),
    );
    false
}

pub(super) fn validate_roles(
    sink: &mut IssueSink,
    texts: &mut TextChooser,
    raw: IndexMap<String, Text>,
) -> Vec<Role> {
    raw.into_iter().map(|(id, title)| Role { id, title: texts.shown(sink, title) }).collect()
}

pub(super) fn validate_strategy(
    sink: &mut IssueSink,
    texts: &mut TextChooser,
    id: String,
    raw: Spanned<RawStrategy>,
) -> Option<Strategy> {
    let place = sink.place(Some(raw.span().start));
    let raw = raw.into_inner();
    let mut valid = raw.review.as_ref().is_none_or(|r| one_of(sink, "review", r, &REVIEWS));
    valid &= raw
        .service_level
        .as_ref()
        .is_none_or(|s| one_of(sink, "service level", s, &SERVICE_LEVELS));
    let resources = Resources::read(sink, &raw.resources);
    let count_ok = action_count_ok(sink, raw.title.span().start, raw.actions.len());
    let description = match raw.description {
        Some(d) => text(sink, texts, d),
        None => Located { value: String::new(), place: place.clone() },
    };
    let actions: Vec<Option<Action>> =
        raw.actions.into_iter().map(|a| validate_action(sink, texts, a)).collect();
    if count_ok && actions.iter().all(Option::is_some) && valid {
        Some(Strategy {
            id,
            when: raw.when.map(|w| located(sink, w)),
            place,
            title: texts.shown(sink, raw.title),
            description,
            reason: raw.reason.map(|r| text(sink, texts, r)),
            resources: resources?,
            review: raw.review.map(Spanned::into_inner).unwrap_or_default(),
            service_level: raw.service_level.map(Spanned::into_inner).unwrap_or_default(),
            profile: raw
                .profile
                .into_iter()
                .map(|(dimension, t)| (dimension, text(sink, texts, t)))
                .collect(),
            actions: actions.into_iter().flatten().collect(),
        })
    } else {
        None
    }
}

/// A strategy is an action plan: between one and twelve actions.
fn action_count_ok(sink: &mut IssueSink, title_at: usize, count: usize) -> bool {
    if (1..=12).contains(&count) {
        return true;
    }
    sink.at(
        Some(title_at),
        format!("a strategy needs 1 to 12 actions (4 to 7 read best); this one has {count}"),
    );
    false
}

fn validate_action(
    sink: &mut IssueSink,
    texts: &mut TextChooser,
    raw: Spanned<RawAction>,
) -> Option<Action> {
    let raw = raw.into_inner();
    let due = match Due::parse(raw.due.get_ref()) {
        Ok(due) => Some(due),
        Err(message) => {
            sink.at(Some(raw.due.span().start), message);
            None
        }
    };
    let kpi = match raw.kpi {
        Some(k) => Some(super::analysis::validate_objective(sink, texts, k, "strategy_median")?),
        None => None,
    };
    Some(Action {
        text: text(sink, texts, raw.text),
        owner: located(sink, raw.owner),
        due: due?,
        kpi,
    })
}

/// Problems of the strategy table as a whole: owners that are not roles, a
/// missing catch-all, and entries no customer can reach because an earlier
/// one always matches first.
pub(super) fn check_strategies(
    strategies: &[Strategy],
    roles: &[Role],
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let role_ids: Vec<&str> = roles.iter().map(|r| r.id.as_str()).collect();
    for action in strategies.iter().flat_map(|s| &s.actions) {
        if !role_ids.contains(&action.owner.value.as_str()) {
            let closest =
                crate::model::fields::closest(&action.owner.value, role_ids.iter().copied());
            problems.push(
                action
                    .owner
                    .place
                    .issue(format!("unknown owner role \"{}\"", action.owner.value))
                    .suggesting(closest)
                    .with_hint("the roles are defined in [role]"),
            );
        }
    }
    if strategies.is_empty() {
        return (problems, warnings);
    }
    for (i, later) in strategies.iter().enumerate() {
        let shadow = strategies[..i].iter().find(|earlier| always_first(earlier, later));
        if let Some(earlier) = shadow {
            let why = match &earlier.when {
                None => "matches every customer".to_string(),
                Some(w) => format!("(when = '{}') matches every customer this one does", w.value),
            };
            warnings.push(later.when.as_ref().map_or(&later.place, |w| &w.place).issue(format!(
                "strategy \"{}\" is never chosen: the earlier strategy \"{}\" {why}, and the first match wins; move it up or narrow the earlier one",
                later.id, earlier.id
            )));
        }
    }
    let last = strategies.last().expect("not empty");
    if last.when.is_some() {
        warnings.push(last.place.issue(format!(
            "the last strategy, \"{}\", has a condition, so a customer matching none gets no strategy; end the table with a strategy without `when` (the catch-all)",
            last.id
        )));
    }
    (problems, warnings)
}

/// Whether `earlier` matches every customer `later` matches: it has no
/// condition, or its condition is one of the conditions `later` joins with
/// `and` (so whenever `later` holds, `earlier` held first).
fn always_first(earlier: &Strategy, later: &Strategy) -> bool {
    let Some(first) = &earlier.when else { return true };
    let Some(second) = &later.when else { return false };
    let first = normalise(&first.value);
    let parts = top_level_and(&second.value);
    parts.iter().any(|p| normalise(p) == first) || normalise(&second.value) == first
}

/// The expression without redundant spaces or outer brackets.
fn normalise(expression: &str) -> String {
    let mut e = expression.split_whitespace().collect::<Vec<_>>().join(" ");
    while e.starts_with('(') && e.ends_with(')') && balanced(&e[1..e.len() - 1]) {
        e = e[1..e.len() - 1].trim().to_string();
    }
    e
}

fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// The parts of an expression joined by `and` outside brackets and quotes.
fn top_level_and(expression: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    let bytes: Vec<char> = expression.chars().collect();
    let text: String = bytes.iter().collect();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ' ') if depth == 0 && text[byte(&bytes, i)..].starts_with(" and ") => {
                parts.push(bytes[start..i].iter().collect::<String>());
                i += 5;
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(bytes[start..].iter().collect());
    parts
}

/// The byte offset of the `i`th char.
fn byte(chars: &[char], i: usize) -> usize {
    chars[..i].iter().map(|c| c.len_utf8()).sum()
}

/// Strategies whose resource direction contradicts a segment they are
/// written for: a `when` that names `matrix == "segment"` where that
/// segment's playbook moves resources the other way.
pub(super) fn check_profiles(rules: &super::Rules) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for strategy in &rules.strategies {
        let Some(when) = &strategy.when else { continue };
        for part in top_level_and(&when.value) {
            let Some((left, right)) = part.split_once("==") else { continue };
            let matrix = normalise(left);
            let segment = right.trim().trim_matches(['"', '\'']);
            if !rules.matrices.iter().any(|m| m.id == matrix) {
                continue;
            }
            let Some(seg) = rules.segment(segment) else { continue };
            if let Some(r) = seg.resources
                && r.contradicts(strategy.resources)
            {
                warnings.push(when.place.issue(format!(
                    "strategy \"{}\" ({} resources) is written for segment \"{segment}\" of matrix \"{matrix}\", whose playbook says {}: one of the two directions is likely wrong",
                    strategy.id,
                    strategy.resources.name(),
                    r.name()
                )));
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Place;

    fn strategy(id: &str, when: Option<&str>) -> Strategy {
        let place = Place { file: "s.toml".into(), line: 1, col: 1 };
        Strategy {
            id: id.into(),
            when: when.map(|w| Located { value: w.into(), place: place.clone() }),
            place: place.clone(),
            title: id.into(),
            description: Located { value: String::new(), place },
            reason: None,
            resources: Resources::Maintain,
            review: "yearly".into(),
            service_level: "standard".into(),
            profile: Vec::new(),
            actions: Vec::new(),
        }
    }

    #[test]
    fn a_rule_behind_a_catch_all_or_its_own_first_condition_is_shadowed() {
        let table = [
            strategy("lost", Some("\"lost_customer\" in alerts")),
            strategy("lost_big", Some("abc == \"A\" and (\"lost_customer\" in alerts)")),
            strategy("big", Some("abc == \"A\"")),
            strategy("rest", None),
            strategy("after", Some("abc == \"B\"")),
        ];
        let (_, warnings) = check_strategies(&table, &[]);
        let named: Vec<&str> =
            warnings.iter().map(|w| w.message.split('"').nth(1).unwrap()).collect();
        assert_eq!(named, ["lost_big", "after", "after"], "{warnings:?}");
    }

    #[test]
    fn only_the_last_rule_may_lack_a_condition() {
        let (_, warnings) = check_strategies(&[strategy("a", Some("abc == \"A\""))], &[]);
        assert!(warnings[0].message.contains("has a condition"), "{warnings:?}");
    }

    #[test]
    fn due_times_are_read_and_dated() {
        let d = Date::from_ymd(2025, 1, 31).unwrap();
        assert_eq!(Due::parse("2 weeks"), Ok(Due::Days(14)));
        assert_eq!(
            Due::parse("1 month").unwrap().date_after(d),
            Date::from_ymd(2025, 2, 28).unwrap()
        );
        assert_eq!(
            Due::parse("10 days").unwrap().date_after(d),
            Date::from_ymd(2025, 2, 10).unwrap()
        );
        assert!(Due::parse("soon").is_err());
        assert!(Due::parse("0 days").is_err());
    }

    #[test]
    fn only_opposite_directions_contradict() {
        assert!(Resources::Invest.contradicts(Resources::Withdraw));
        assert!(Resources::Reduce.contradicts(Resources::Invest));
        assert!(!Resources::Maintain.contradicts(Resources::Invest));
        assert!(!Resources::Reduce.contradicts(Resources::Withdraw));
    }

    #[test]
    fn due_dates_count_months_from_month_end_to_month_end() {
        let d = |y, m, day| Date::from_ymd(y, m, day).unwrap();
        assert_eq!(Due::Months(1).date_after(d(2025, 6, 30)), d(2025, 7, 31));
        assert_eq!(Due::Months(2).date_after(d(2025, 6, 30)), d(2025, 8, 31));
        assert_eq!(Due::Months(8).date_after(d(2025, 6, 30)), d(2026, 2, 28));
        assert_eq!(Due::Months(1).date_after(d(2025, 1, 31)), d(2025, 2, 28));
        assert_eq!(Due::Months(1).date_after(d(2025, 6, 15)), d(2025, 7, 15));
        assert_eq!(Due::Days(14).date_after(d(2025, 6, 30)), d(2025, 7, 14));
    }
}
