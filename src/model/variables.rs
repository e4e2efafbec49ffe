//! What kind of figure each variable is, for whoever shows it to a person:
//! the documents' tables, the objectives, `explain`. Rules compare the raw
//! values; people read ratios as percentages and amounts with grouping.

/// How a metric's figures read, from its name.
pub fn format_of(metric: &str) -> &'static str {
    match metric {
        "share_of_wallet" | "margin_pct" | "growth" | "market_growth" => "pct",
        "orders" | "products" | "active_months" | "categories" | "categories_prev" => "count",
        "relationship_length" => "years",
        "cv" | "satisfaction" | "attractiveness" | "adaptability" => "decimal",
        "loyalty" => "count",
        m if m.starts_with("days_") || m == "median_gap" => "days",
        m if m.ends_with("_pct") || m.ends_with("_share") => "pct",
        _ => "money",
    }
}
