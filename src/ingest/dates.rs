//! Which sale dates are plausible. One mistyped year (`2052` for `2025`)
//! must not move the analysis window, which ends at the latest sale when no
//! `as_of` is given: a sale after today, before 1900, or in a small group of
//! lines cut off from the rest of the data by months without any sale, is
//! rejected with its line and the reason, never used.

use crate::model::Date;
use crate::model::date::format_month;
use std::collections::BTreeMap;

/// A group at the edge of the data this small (share of the customer-months)
/// and this far from the rest is taken for mistyped dates.
const STRAY_SHARE: f64 = 0.01;
/// Empty months between the data and a small group after it: the window
/// would move by at least this much.
const STRAY_GAP_AFTER: i32 = 2;
/// Empty months between a small group and the data after it.
const STRAY_GAP_BEFORE: i32 = 12;

/// The dates a run accepts, and how to say why a date is outside them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateBounds {
    pub first: Date,
    pub last: Date,
    /// Today's date, which `last` never passes.
    pub today: Date,
    /// Whether `first` and `last` were narrowed to the bulk of the data.
    pub narrowed: bool,
}

impl DateBounds {
    /// From 1 January 1900 to `today`.
    pub fn up_to(today: Date) -> DateBounds {
        let first = Date::from_ymd(1900, 1, 1).expect("a valid date");
        DateBounds { first, last: today, today, narrowed: false }
    }

    /// Why `date` is not a plausible sale date, or `None` if it is.
    pub fn check(&self, date: Date) -> Option<String> {
        if date > self.last && date > self.today {
            return Some(format!(
                "dated {date}, after today ({}): a sale cannot be in the future; correct the line (or the clock of this computer)",
                self.today
            ));
        }
        if date > self.last {
            let gap = date.month_index() - self.last.month_index();
            return Some(format!(
                "dated {date}, {} after the rest of the data (which ends in {}): a mistyped date would move the analysis window; correct the line, or set as_of to analyse up to it",
                months(gap),
                format_month(self.last.month_index())
            ));
        }
        if date < self.first && !self.narrowed {
            return Some(format!("dated {date}, before 1900: not a plausible sale date"));
        }
        if date < self.first {
            let gap = self.first.month_index() - date.month_index();
            return Some(format!(
                "dated {date}, {} before the rest of the data (which starts in {}): a mistyped date? correct the line",
                months(gap),
                format_month(self.first.month_index())
            ));
        }
        None
    }

    /// The bounds narrowed to leave out small groups of months cut off from
    /// the rest of the data, given the customers buying in each month; `None`
    /// when there is none. A group after the data is left alone when `as_of`
    /// fixes the window.
    pub fn narrowed_to_bulk(
        &self,
        customers_per_month: &BTreeMap<i32, u64>,
        as_of_given: bool,
    ) -> Option<DateBounds> {
        let total: u64 = customers_per_month.values().sum();
        let mut groups: Vec<(i32, i32, u64)> = Vec::new();
        for (&month, &n) in customers_per_month {
            match groups.last_mut() {
                Some(g) if month - g.1 <= 1 => {
                    g.1 = month;
                    g.2 += n;
                }
                _ => groups.push((month, month, n)),
            }
        }
        let small = |g: &(i32, i32, u64)| (g.2 as f64) < total as f64 * STRAY_SHARE;
        let (mut lo, mut hi) = (0, groups.len());
        while !as_of_given
            && hi - lo > 1
            && small(&groups[hi - 1])
            && groups[hi - 1].0 - groups[hi - 2].1 > STRAY_GAP_AFTER
        {
            hi -= 1;
        }
        while hi - lo > 1
            && small(&groups[lo])
            && groups[lo + 1].0 - groups[lo].1 > STRAY_GAP_BEFORE
        {
            lo += 1;
        }
        if lo == 0 && hi == groups.len() {
            return None;
        }
        Some(DateBounds {
            first: Date::first_of_month(groups[lo].0).max(self.first),
            last: Date::last_of_month(groups[hi - 1].1).min(self.last),
            today: self.today,
            narrowed: true,
        })
    }
}

fn months(n: i32) -> String {
    match n {
        1 => "1 month".into(),
        n if n >= 24 => format!("{} years", n / 12),
        n => format!("{n} months"),
    }
}

/// Today's date (UTC) from the system clock.
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days((secs / 86_400) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    fn month(s: &str) -> i32 {
        date(&format!("{s}-01")).month_index()
    }

    /// 24 months of 100 customers each from 2023-07, plus `extra`.
    fn histogram(extra: &[(&str, u64)]) -> BTreeMap<i32, u64> {
        let mut h: BTreeMap<i32, u64> = (0..24).map(|i| (month("2023-07") + i, 100)).collect();
        for (m, n) in extra {
            *h.entry(month(m)).or_default() += n;
        }
        h
    }

    #[test]
    fn future_and_ancient_dates_are_refused() {
        let bounds = DateBounds::up_to(date("2026-12-06"));
        assert_eq!(bounds.check(date("2026-12-06")), None);
        let why = bounds.check(date("2052-06-02")).unwrap();
        assert!(why.contains("after today (2026-12-06)"), "{why}");
        assert!(bounds.check(date("1899-12-31")).unwrap().contains("before 1900"));
    }

    #[test]
    fn one_stray_line_does_not_move_the_window() {
        let bounds = DateBounds::up_to(date("2060-01-01"));
        let narrowed = bounds.narrowed_to_bulk(&histogram(&[("2052-06", 1)]), false).unwrap();
        assert_eq!(narrowed.last, date("2025-06-30"));
        assert_eq!(narrowed.first, date("2023-07-01"));
        let why = narrowed.check(date("2052-06-02")).unwrap();
        assert!(
            why.contains("27 years after the rest of the data (which ends in 2025-06)"),
            "{why}"
        );
        assert_eq!(narrowed.check(date("2025-06-30")), None);
        // With as_of the window cannot move: the stray line stays for as_of to count.
        assert_eq!(bounds.narrowed_to_bulk(&histogram(&[("2052-06", 1)]), true), None);
        // A year typed as 1952: cut off before the data.
        let narrowed = bounds.narrowed_to_bulk(&histogram(&[("1952-03", 1)]), false).unwrap();
        assert!(
            narrowed.check(date("1952-03-02")).unwrap().contains("before the rest of the data")
        );
    }

    #[test]
    fn real_gaps_and_real_groups_stay() {
        let bounds = DateBounds::up_to(date("2060-01-01"));
        assert_eq!(bounds.narrowed_to_bulk(&histogram(&[]), false), None);
        // The next month, however small: no gap.
        assert_eq!(bounds.narrowed_to_bulk(&histogram(&[("2025-07", 1)]), false), None);
        // A group after a gap that holds real business (over 1%).
        assert_eq!(bounds.narrowed_to_bulk(&histogram(&[("2026-01", 40)]), false), None);
        // A small data set: one line is more than 1% of it.
        let tiny: BTreeMap<i32, u64> = [(month("2025-01"), 3), (month("2025-09"), 1)].into();
        assert_eq!(bounds.narrowed_to_bulk(&tiny, false), None);
    }
}
