//! The data behind each chart, taken from the portfolio: positions, cut
//! lines and labels are decided here; `render::charts` draws. The matrix
//! charts every account plan shares are drawn once, here, and kept.

use crate::classify::Portfolio;
use crate::classify::engine::matrix_cells;
use crate::config::rules::{Bands, ClassRule, Matrix, Rules};
use crate::locale::Locale;
use crate::locale::format::short_month;
use crate::metrics::CustomerMetrics;
use crate::render::Chart;
use crate::render::charts::{
    GridChart, MatrixChart, MatrixPoint, MixChart, MonthlyChart, ParetoChart,
};
use std::sync::Arc;

/// The Pareto curve of revenue, with the cuts of the first ABC
/// classification that ranks revenue (none when no classification does).
pub fn pareto(portfolio: &Portfolio, rules: &Rules) -> ParetoChart {
    let mut customers: Vec<(f64, usize)> = portfolio
        .rows
        .iter()
        .enumerate()
        .map(|(row, r)| (r.metrics.revenue.to_f64(), row))
        .filter(|(revenue, _)| *revenue > 0.0)
        .collect();
    // Largest first; ties by customer id (the row order) so the curve is stable.
    customers.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let total: f64 = customers.iter().map(|c| c.0).sum();
    let abc = rules
        .classifications
        .iter()
        .find(|c| matches!(&c.rule, ClassRule::Abc(rule) if rule.metric.value == "revenue"));
    let mut cuts = Vec::new();
    if let (Some(abc), true) = (abc, total > 0.0) {
        let classes = abc.rule.classes();
        let mut cumulative = 0.0;
        for (i, (revenue, row)) in customers.iter().enumerate() {
            cumulative += revenue;
            let class = portfolio.text(&abc.id, *row).unwrap_or_default();
            let next = customers.get(i + 1).and_then(|(_, r)| portfolio.text(&abc.id, *r));
            // A cut where the class changes; the last class runs to the end.
            if next.as_deref() != Some(class.as_str()) && Some(&class) != classes.last() {
                cuts.push((class, cumulative / total, (i + 1) as f64 / customers.len() as f64));
            }
        }
    }
    let locale = rules.locale;
    ParetoChart {
        locale,
        revenues: customers.iter().map(|c| c.0).collect(),
        cuts,
        x_label: locale.text("Share of customers").into(),
        y_label: locale.text("Share of revenue").into(),
    }
}

/// The matrix charts of a portfolio, worked out once: every customer's
/// place, and the sample of customers drawn. A dossier's chart is a copy
/// with the account's bubble highlighted, so making many dossiers does not
/// rank the whole portfolio again for each.
pub struct MatrixCharts {
    /// Per matrix, the chart without a highlight.
    charts: Vec<MatrixChart>,
    /// The same, drawn: the part of a dossier's chart that all dossiers share.
    drawn_svgs: Vec<Arc<str>>,
    /// Per matrix, the portfolio row of each point of the chart.
    drawn: Vec<Vec<usize>>,
    /// Per matrix and portfolio row, the customer's bubble (`None` outside the grid).
    places: Vec<Vec<Option<MatrixPoint>>>,
}

impl MatrixCharts {
    /// The charts of every matrix, drawing at most `limit` customers each:
    /// beyond that, an even sample by revenue rank (the largest always among
    /// them); the cell counts still count everyone.
    pub fn new(portfolio: &Portfolio, rules: &Rules, limit: usize) -> MatrixCharts {
        let shown = sample_by_revenue(portfolio, limit);
        let mut charts = MatrixCharts {
            charts: Vec::new(),
            drawn_svgs: Vec::new(),
            drawn: Vec::new(),
            places: Vec::new(),
        };
        for index in 0..rules.matrices.len() {
            let places = places(portfolio, rules, index);
            let drawn: Vec<usize> =
                (0..places.len()).filter(|&r| shown[r] && places[r].is_some()).collect();
            let mut chart = frame(rules, index);
            let (columns, rows) = (chart.x_labels.len(), chart.y_labels.len());
            chart.cell_counts = vec![vec![0; columns]; rows];
            for point in places.iter().flatten() {
                chart.cell_counts[point.row][point.column] += 1;
            }
            chart.points = drawn.iter().filter_map(|&r| places[r].clone()).collect();
            charts.drawn_svgs.push(Chart::Matrix(chart.clone()).svg().into());
            charts.charts.push(chart);
            charts.drawn.push(drawn);
            charts.places.push(places);
        }
        charts
    }

    /// The chart of matrix `index` without a highlight, drawn once for all documents.
    pub fn shared(&self, index: usize) -> Chart {
        Chart::Drawn(self.drawn_svgs[index].clone())
    }

    /// The chart of matrix `index`, with the customer in portfolio row
    /// `highlight` drawn on top under the given label.
    pub fn chart(&self, index: usize, highlight: Option<(usize, String)>) -> MatrixChart {
        let mut chart = self.charts[index].clone();
        if let Some((row, label)) = highlight
            && let Some(point) = &self.places[index][row]
        {
            if let Ok(at) = self.drawn[index].binary_search(&row) {
                chart.points.remove(at);
            }
            chart.points.push(MatrixPoint { highlight: Some(label), ..point.clone() });
        }
        chart
    }
}

/// A matrix's grid, titles and labels, without points.
fn frame(rules: &Rules, index: usize) -> MatrixChart {
    let matrix = &rules.matrices[index];
    let title =
        |id: &str| rules.segment(id).map_or_else(|| id.to_string(), |s| short_title(&s.title));
    MatrixChart {
        locale: rules.locale,
        x_labels: matrix.x.labels.clone(),
        y_labels: matrix.y.labels.clone(),
        x_title: super::axis_title(rules, &matrix.x.variable.value),
        y_title: super::axis_title(rules, &matrix.y.variable.value),
        cell_titles: matrix
            .cells
            .iter()
            .map(|row| row.iter().map(|c| title(&c.value)).collect())
            .collect(),
        points: Vec::new(),
        cell_counts: Vec::new(),
    }
}

/// Every customer's bubble in matrix `index`, by portfolio row. A
/// customer's position inside its cell is its rank there, so bubbles spread
/// evenly and keep their order along each axis.
fn places(portfolio: &Portfolio, rules: &Rules, index: usize) -> Vec<Option<MatrixPoint>> {
    let matrix = &rules.matrices[index];
    let (x_breaks, y_breaks) = &portfolio.results.matrix_breaks[index];
    let cells = matrix_cells(&portfolio.facts, matrix, (x_breaks, y_breaks));
    let x_value = axis_values(portfolio, matrix, true);
    let y_value = axis_values(portfolio, matrix, false);
    let columns = matrix.x.bands.count();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); columns * matrix.y.bands.count()];
    for (row, cell) in cells.iter().enumerate() {
        if let Some((x, y)) = cell {
            members[y * columns + x].push(row);
        }
    }
    let mut places = vec![None; portfolio.rows.len()];
    for (cell, rows_in_cell) in members.iter().enumerate() {
        let x_rank = ranks(rows_in_cell, &x_value);
        let y_rank = ranks(rows_in_cell, &y_value);
        for (i, &row) in rows_in_cell.iter().enumerate() {
            places[row] = Some(MatrixPoint {
                column: cell % columns,
                row: cell / columns,
                x: x_rank[i],
                y: y_rank[i],
                weight: portfolio.rows[row].metrics.revenue.to_f64(),
                highlight: None,
            });
        }
    }
    places
}

/// Which rows to draw: all up to `limit`; beyond, every k-th by revenue
/// (largest first).
fn sample_by_revenue(portfolio: &Portfolio, limit: usize) -> Vec<bool> {
    let n = portfolio.rows.len();
    if n <= limit {
        return vec![true; n];
    }
    let mut order: Vec<usize> = (0..n).collect();
    let revenue = |r: usize| portfolio.rows[r].metrics.revenue;
    order.sort_by(|&a, &b| revenue(b).cmp(&revenue(a)).then(a.cmp(&b)));
    let step = n.div_ceil(limit.max(1));
    let mut shown = vec![false; n];
    for &row in order.iter().step_by(step) {
        shown[row] = true;
    }
    shown
}

/// A segment title short enough for a cell: the part before a colon.
pub(super) fn short_title(title: &str) -> String {
    title.split(':').next().unwrap_or(title).trim().to_string()
}

/// The value that orders customers along an axis inside a cell: the axis
/// variable when numeric; for a category axis, revenue along x and the
/// customer id along y, so bubbles do not line up on a diagonal.
fn axis_values(portfolio: &Portfolio, matrix: &Matrix, x: bool) -> Vec<f64> {
    let axis = if x { &matrix.x } else { &matrix.y };
    let numeric = !matches!(axis.bands, Bands::Categories(_));
    (0..portfolio.rows.len())
        .map(|row| {
            if numeric {
                portfolio
                    .facts
                    .get(&axis.variable.value, row)
                    .and_then(|f| f.as_f64())
                    .unwrap_or(0.0)
            } else if x {
                portfolio.rows[row].metrics.revenue.to_f64()
            } else {
                spread(&portfolio.rows[row].customer_id)
            }
        })
        .collect()
}

/// A stable pseudo-random number in 0..1 from an id (FNV-1a).
fn spread(id: &str) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Positions 0.1..0.9 by rank of `values[row]` among `rows` (ties by row).
fn ranks(rows: &[usize], values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| values[rows[a]].total_cmp(&values[rows[b]]).then(rows[a].cmp(&rows[b])));
    let mut out = vec![0.5; rows.len()];
    if rows.len() > 1 {
        for (rank, &i) in order.iter().enumerate() {
            out[i] = 0.1 + 0.8 * rank as f64 / (rows.len() - 1) as f64;
        }
    }
    out
}

/// Monthly revenue of one customer, this window against the previous one.
pub fn monthly(locale: Locale, portfolio: &Portfolio, metrics: &CustomerMetrics) -> MonthlyChart {
    let to_f64 = |v: &Vec<crate::model::Amount>| v.iter().map(|a| a.to_f64()).collect();
    MonthlyChart {
        locale,
        labels: portfolio.period.window_months().map(|m| short_month(locale, m)).collect(),
        current: to_f64(&metrics.monthly_revenue),
        previous: to_f64(&metrics.monthly_revenue_prev),
        current_label: locale.text("This period").into(),
        previous_label: locale.text("Previous period").into(),
    }
}

/// Revenue by category, largest this period first; `None` without categories.
pub fn mix(locale: Locale, metrics: &CustomerMetrics) -> Option<MixChart> {
    if metrics.categories.is_empty() {
        return None;
    }
    let mut categories: Vec<_> = metrics.categories.iter().collect();
    categories.sort_by(|a, b| b.current.cmp(&a.current).then(b.previous.cmp(&a.previous)));
    Some(MixChart {
        locale,
        categories: categories.iter().map(|c| c.category.to_string()).collect(),
        current: categories.iter().map(|c| c.current.to_f64()).collect(),
        previous: categories.iter().map(|c| c.previous.to_f64()).collect(),
        current_label: locale.text("This period").into(),
        previous_label: locale.text("Previous period").into(),
        shares: false,
    })
}

/// The sales-by-product grid: categories × months of the window (× quarters
/// when the window is longer than a year); `None` without categories.
/// Cross-sell gaps follow as empty rows marked "gap", so the grid shows
/// what the account buys and what its peers buy that it does not.
pub fn vendogram(
    locale: Locale,
    portfolio: &Portfolio,
    metrics: &CustomerMetrics,
    gaps: &[crate::analysis::cross_sell::Gap],
) -> Option<GridChart> {
    if metrics.categories.is_empty() {
        return None;
    }
    let months: Vec<_> = portfolio.period.window_months().collect();
    let step = if months.len() > 12 { 3 } else { 1 };
    let columns: Vec<String> = months
        .chunks(step)
        .map(|chunk| match chunk {
            [only] => short_month(locale, *only),
            [first, .., last] => {
                format!("{}–{}", short_month(locale, *first), short_month(locale, *last))
            }
            [] => String::new(),
        })
        .collect();
    let mut values: Vec<Vec<f64>> = metrics
        .categories
        .iter()
        .map(|c| {
            c.monthly.chunks(step).map(|chunk| chunk.iter().map(|a| a.to_f64()).sum()).collect()
        })
        .collect();
    let mut rows: Vec<String> = metrics.categories.iter().map(|c| c.category.to_string()).collect();
    for gap in gaps {
        rows.push(format!("{} · {}", gap.category, locale.text("gap")));
        values.push(vec![0.0; columns.len()]);
    }
    Some(GridChart { locale, rows, columns, values })
}

/// Lost customers per month of their last purchase, over both windows.
pub fn lost_by_month(locale: Locale, lost: &crate::analysis::lost::LostReport) -> MonthlyChart {
    MonthlyChart {
        locale,
        labels: lost.by_month.iter().map(|m| short_month(locale, m.month)).collect(),
        current: lost.by_month.iter().map(|m| m.customers as f64).collect(),
        previous: vec![0.0; lost.by_month.len()],
        current_label: locale.text("Customers lost, by month of their last purchase").into(),
        previous_label: String::new(),
    }
}

/// Share of margin against share of cost to serve, per class or segment.
pub fn resource_shares(
    locale: Locale,
    rows: &[crate::analysis::resources::BalanceRow],
) -> Option<MixChart> {
    (!rows.is_empty()).then(|| MixChart {
        locale,
        categories: rows.iter().map(|r| r.group.clone()).collect(),
        current: rows.iter().map(|r| r.margin_share.unwrap_or(0.0)).collect(),
        previous: rows.iter().map(|r| r.cost_share.unwrap_or(0.0)).collect(),
        current_label: locale.text("Share of margin").into(),
        previous_label: locale.text("Share of cost to serve").into(),
        shares: true,
    })
}
