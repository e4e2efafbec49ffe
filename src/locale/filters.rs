//! The figure filters, one set for the rule texts (alert messages, playbook
//! actions, strategy reasons) and for the documents' templates, so a figure
//! reads the same wherever it is written. Each writes as the language does
//! (see [`super::format`]) and prints nothing for a missing value.
//!
//! | filter | writes | English | Italian |
//! | --- | --- | --- | --- |
//! | `money` | an amount with its currency, whole units (`money(2)`: cents) | `€1,235` | `1.235 €` |
//! | `amount` | an amount without currency, for a column headed with it | `1,235` | `1.235` |
//! | `money_short` | an amount in thousands or millions, for tiles | `€1.2m` | `1,2 mln €` |
//! | `num` | a number, rounded (`num(2)`: two decimals) | `1,234` | `1.234` |
//! | `pct` | a ratio as a percentage (`pct(0)`: no decimals) | `12.3%` | `12,3%` |
//! | `change` | a ratio as a signed change | `+5.0%` | `+5,0%` |
//! | `date` | an ISO date in words (`date("month")`, `date("short")`) | `30 June 2025` | `30 giugno 2025` |
//! | `art` | an Italian article before a figure, elided | | `l'8,0%` |
//! | `figure` | a value of a kind given by the data (`money`, `pct`, `days`, …) | | |

use super::Locale;
use super::format;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind};

/// Registers the figure filters in `env`, for documents in `locale` whose
/// amounts are in `currency` (an ISO code such as `EUR`).
pub fn add(env: &mut Environment<'static>, locale: Locale, currency: &str) {
    let l = locale;
    let code = currency.to_string();
    env.add_filter(
        "money",
        move |value: Value, decimals: Option<usize>, kwargs: Kwargs| -> Result<String, Error> {
            // `symbol=false` is the bare amount, as `amount` writes it.
            let symbol: Option<bool> = kwargs.get("symbol")?;
            kwargs.assert_all_used()?;
            let Some(x) = number(&value) else { return Ok(String::new()) };
            let decimals = decimals.unwrap_or(0);
            Ok(match symbol {
                Some(false) => format::number(l, x, decimals),
                _ => format::money_with_currency(l, x, decimals, &code),
            })
        },
    );
    env.add_filter("amount", move |value: Value, decimals: Option<usize>| {
        number(&value).map_or_else(String::new, |x| format::number(l, x, decimals.unwrap_or(0)))
    });
    let code = currency.to_string();
    env.add_filter("money_short", move |value: Value| {
        number(&value).map_or_else(String::new, |x| format::money_short_with(l, x, &code))
    });
    env.add_filter("num", move |value: Value, decimals: Option<usize>| {
        number(&value).map_or_else(String::new, |x| format::number(l, x, decimals.unwrap_or(0)))
    });
    env.add_filter("pct", move |value: Value, decimals: Option<usize>| {
        number(&value).map_or_else(String::new, |x| format::percent(l, x, decimals.unwrap_or(1)))
    });
    env.add_filter("change", move |value: Value| {
        number(&value).map_or_else(String::new, |x| format::change(l, x))
    });
    env.add_filter("date", move |value: Value, style: Option<String>| -> Result<String, Error> {
        if value.is_none() || value.is_undefined() {
            return Ok(String::new());
        }
        let text = value.to_string();
        // Text that is not an ISO date prints as it is.
        let Some(date) = crate::model::Date::parse_iso(&text) else { return Ok(text) };
        Ok(match style.as_deref().unwrap_or("long") {
            "long" => format::long_date(l, date),
            "month" => format::month_year(l, date.month_index()),
            "short" => format::short_month(l, date.month_index()),
            other => {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("date style \"{other}\": expected long, month or short"),
                ));
            }
        })
    });
    env.add_filter("art", |figure: String, article: String| -> String {
        format::italian_article(&article, &figure)
    });
    let code = currency.to_string();
    env.add_filter(
        "figure",
        move |value: Value, kind: String, kwargs: Kwargs| -> Result<String, Error> {
            let short: Option<bool> = kwargs.get("short")?;
            let symbol: Option<bool> = kwargs.get("symbol")?;
            kwargs.assert_all_used()?;
            let Some(x) = number(&value) else { return Ok(String::new()) };
            Ok(match kind.as_str() {
                "money" if short == Some(true) => format::money_short_with(l, x, &code),
                "money" if symbol == Some(true) => format::money_with_currency(l, x, 0, &code),
                kind => format::figure(l, kind, x),
            })
        },
    );
}

/// The number a filter is given; none for a missing or non-finite value.
fn number(value: &Value) -> Option<f64> {
    if value.is_none() || value.is_undefined() {
        return None;
    }
    f64::try_from(value.clone()).ok().filter(|x| x.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(locale: Locale) -> Environment<'static> {
        let mut env = Environment::new();
        add(&mut env, locale, "EUR");
        env
    }

    fn show(locale: Locale, template: &str, value: f64) -> String {
        env(locale).render_str(template, minijinja::context! { x => value }).unwrap()
    }

    /// Golden strings of every filter in both languages.
    #[test]
    fn every_filter_writes_as_the_language_does() {
        use Locale::{En, It};
        let cases: &[(&str, f64, &str, &str)] = &[
            ("{{ x | money }}", 1234.5, "€1,235", "1.235\u{a0}€"),
            ("{{ x | money(2) }}", -1234.5, "−€1,234.50", "−1.234,50\u{a0}€"),
            ("{{ x | money(symbol=false) }}", 1234.5, "1,235", "1.235"),
            ("{{ x | amount }}", 78006.5, "78,007", "78.007"),
            ("{{ x | num }}", 1234.4, "1,234", "1.234"),
            ("{{ x | num(2) }}", 0.5, "0.50", "0,50"),
            ("{{ x | pct }}", 0.2072, "20.7%", "20,7%"),
            ("{{ x | pct(0) }}", -0.156, "−16%", "−16%"),
            ("{{ x | change }}", 0.05, "+5.0%", "+5,0%"),
            ("{{ x | change }}", -0.2, "−20.0%", "−20,0%"),
            ("{{ x | figure('pct') }}", 0.1, "10.0%", "10,0%"),
            ("{{ x | figure('days') }}", 12.0, "12 days", "12 giorni"),
            ("{{ x | figure('money', symbol=true) }}", 900.0, "€900", "900\u{a0}€"),
            ("{{ x | pct | art('il') }}", 0.08, "l'8.0%", "l'8,0%"),
        ];
        for (template, value, en, it) in cases {
            assert_eq!(show(En, template, *value), *en, "{template} in English");
            assert_eq!(show(It, template, *value), *it, "{template} in Italian");
        }
        let date = |l, t: &str| env(l).render_str(t, minijinja::context! { d => "2025-06-30" });
        assert_eq!(date(En, "{{ d | date }}").unwrap(), "30 June 2025");
        assert_eq!(date(It, "{{ d | date }}").unwrap(), "30 giugno 2025");
        assert_eq!(date(It, "{{ d | date('month') }}").unwrap(), "giugno 2025");
        assert!(date(En, "{{ d | date('weekday') }}").is_err());
    }

    #[test]
    fn a_missing_value_prints_nothing() {
        for filter in ["money", "amount", "money_short", "num", "pct", "change", "date"] {
            let text = env(Locale::It)
                .render_str(&format!("[{{{{ x | {filter} }}}}]"), minijinja::context! { x => () })
                .unwrap();
            assert_eq!(text, "[]", "{filter}");
        }
    }
}
