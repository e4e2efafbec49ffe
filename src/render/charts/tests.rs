//! Tests of the charts: determinism, edge cases, escaping.

use super::*;
use crate::locale::Locale;

fn pareto() -> ParetoChart {
    let revenues: Vec<f64> = (1..=1500).rev().map(|i| (i as f64).powf(2.2)).collect();
    ParetoChart {
        locale: Default::default(),
        revenues,
        cuts: vec![("A".into(), 0.8, 0.2), ("B".into(), 0.95, 0.5), ("C".into(), 1.0, 1.0)],
        x_label: "Share of customers".into(),
        y_label: "Share of revenue".into(),
    }
}

fn matrix() -> MatrixChart {
    let mut points = Vec::new();
    for i in 0..60usize {
        points.push(MatrixPoint {
            column: i % 3,
            row: (i / 3) % 3,
            x: (i * 37 % 100) as f64 / 100.0,
            y: (i * 53 % 100) as f64 / 100.0,
            weight: (i * 7919 % 1000) as f64,
            highlight: None,
        });
    }
    points.push(MatrixPoint {
        column: 2,
        row: 2,
        x: 0.6,
        y: 0.5,
        weight: 500.0,
        highlight: Some("Müller & Söhne <GmbH>".into()),
    });
    MatrixChart {
        locale: Default::default(),
        x_labels: vec!["Low".into(), "Medium".into(), "High".into()],
        y_labels: vec!["Low".into(), "Medium".into(), "High".into()],
        x_title: "Customer attractiveness".into(),
        y_title: "Supplier position".into(),
        cell_titles: vec![
            vec!["Withdraw".into(), "Develop".into(), "Invest".into()],
            vec!["Maintain".into(), "Selective".into(), "Grow".into()],
            vec!["Harvest".into(), "Defend".into(), "Key accounts".into()],
        ],
        points,
        cell_counts: vec![],
    }
}

fn monthly(n: usize) -> MonthlyChart {
    const M: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    MonthlyChart {
        locale: Default::default(),
        labels: (0..n).map(|i| format!("{} {}", M[i % 12], 24 + i / 12)).collect(),
        current: (0..n)
            .map(|i| if i == 5 { -20_000.0 } else { 50_000.0 + (i * 7_331 % 40_000) as f64 })
            .collect(),
        previous: (0..n).map(|i| 45_000.0 + (i * 5_113 % 30_000) as f64).collect(),
        current_label: "This period".into(),
        previous_label: "Previous period".into(),
    }
}

fn mix() -> MixChart {
    MixChart {
        locale: Default::default(),
        categories: vec![
            "Hydraulics".into(),
            "Spare parts & service".into(),
            "Industrial fasteners and fixing systems".into(),
            "Credits".into(),
        ],
        current: vec![1_250_000.0, 480_000.0, 95_500.0, -12_000.0],
        previous: vec![1_100_000.0, 520_000.0, 60_000.0, 0.0],
        current_label: "This period".into(),
        previous_label: "Previous period".into(),
        shares: false,
    }
}

fn grid() -> GridChart {
    GridChart {
        locale: Default::default(),
        rows: vec!["Hydraulics".into(), "Pneumatics".into(), "Service".into()],
        columns: vec!["Q1 24".into(), "Q2 24".into(), "Q3 24".into(), "Q4 24".into()],
        values: vec![
            vec![120_000.0, 135_000.0, 0.0, 150_000.0],
            vec![8_000.0, 9_500.0, 12_000.0, -1_500.0],
            vec![45_000.0, 0.0, 52_000.0, 61_000.0],
        ],
    }
}

fn all_svgs() -> Vec<String> {
    vec![
        pareto_svg(&pareto(), (640, 320)),
        matrix_svg(&matrix(), (640, 420)),
        monthly_svg(&monthly(24), (640, 300)),
        mix_svg(&mix(), (640, 300)),
        grid_svg(&grid(), (640, 300)),
    ]
}

/// Check the parts of XML well-formedness that label text could break.
fn assert_well_formed(svg: &str) {
    assert!(svg.starts_with("<svg"), "not an svg: {}", &svg[..svg.len().min(80)]);
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(!svg.chars().any(|c| c.is_control() && c != '\n'));
    let mut rest = svg;
    while let Some(i) = rest.find('&') {
        rest = &rest[i..];
        let ok = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| rest.starts_with(e));
        assert!(ok, "bare ampersand near {}", &rest[..rest.len().min(20)]);
        rest = &rest[1..];
    }
    for element in svg.split('<').skip(1) {
        let tag = element.split('>').next().unwrap_or("");
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in <{tag}>");
        let text = element.split_once('>').map_or("", |(_, t)| t);
        assert!(!text.contains('>'), "raw '>' in text: {text}");
    }
}

#[test]
fn charts_are_deterministic_and_use_inter() {
    let first = all_svgs();
    let second = all_svgs();
    assert_eq!(first, second);
    for svg in &first {
        assert_well_formed(svg);
        assert!(svg.contains("font-family=\"Inter\""));
        assert!(!svg.contains("sans-serif"));
    }
}

#[test]
fn font_sizes_are_written_exactly() {
    for size in [8, 9, 10, 11, 12, 14] {
        assert_eq!(plotters_size(size) / 1.24, size as f64);
    }
    let svg = matrix_svg(&matrix(), (640, 420));
    assert!(svg.contains("font-size=\"12\""));
    assert!(!svg.contains("font-size=\"12.0"));
}

#[test]
fn edge_cases_do_not_panic() {
    let sizes = [(640, 300), (0, 0), (100, 50), (2000, 1500)];
    for size in sizes {
        let mut out = Vec::new();
        out.push(pareto_svg(
            &ParetoChart {
                locale: Default::default(),
                revenues: vec![],
                cuts: vec![],
                x_label: String::new(),
                y_label: String::new(),
            },
            size,
        ));
        out.push(pareto_svg(
            &ParetoChart {
                locale: Default::default(),
                revenues: vec![42.0],
                cuts: vec![("A".into(), 1.0, 1.0)],
                x_label: "x".into(),
                y_label: "y".into(),
            },
            size,
        ));
        out.push(pareto_svg(
            &ParetoChart {
                locale: Default::default(),
                revenues: vec![-5.0, 0.0, 3.0, 10.0],
                cuts: vec![("A".into(), 2.0, -1.0), ("B".into(), 0.5, 0.3)],
                x_label: "x".into(),
                y_label: "y".into(),
            },
            size,
        ));
        let mut m = matrix();
        m.points.push(MatrixPoint {
            column: 9,
            row: 9,
            x: -3.0,
            y: 7.0,
            weight: -1.0,
            highlight: Some(String::new()),
        });
        m.cell_titles = vec![vec![]];
        out.push(matrix_svg(&m, size));
        out.push(matrix_svg(
            &MatrixChart {
                locale: Default::default(),
                x_labels: vec![],
                y_labels: vec![],
                x_title: String::new(),
                y_title: String::new(),
                cell_titles: vec![],
                points: vec![],
                cell_counts: vec![],
            },
            size,
        ));
        out.push(matrix_svg(
            &MatrixChart {
                locale: Default::default(),
                x_labels: vec!["Only".into()],
                y_labels: vec!["Only".into()],
                x_title: String::new(),
                y_title: String::new(),
                cell_titles: vec![],
                points: vec![MatrixPoint {
                    column: 0,
                    row: 0,
                    x: 0.5,
                    y: 0.5,
                    weight: 0.0,
                    highlight: None,
                }],
                cell_counts: vec![],
            },
            size,
        ));
        for n in [0, 1, 36] {
            let mut c = monthly(n);
            out.push(monthly_svg(&c, size));
            c.previous = vec![0.0; n];
            out.push(monthly_svg(&c, size));
            c.current = vec![0.0; n];
            out.push(monthly_svg(&c, size));
            c.current = vec![-5.0; n];
            c.previous.clear();
            out.push(monthly_svg(&c, size));
        }
        let mut x = mix();
        out.push(mix_svg(&x, size));
        x.current = vec![0.0; 4];
        x.previous = vec![0.0; 4];
        out.push(mix_svg(&x, size));
        x.current = vec![-1.0, -2.0];
        out.push(mix_svg(&x, size));
        x.categories.clear();
        out.push(mix_svg(&x, size));
        let mut g = grid();
        g.values = vec![vec![0.0; 4]; 3];
        out.push(grid_svg(&g, size));
        g.values = vec![vec![-1.0]];
        out.push(grid_svg(&g, size));
        g.columns.clear();
        out.push(grid_svg(&g, size));
        for svg in &out {
            assert_well_formed(svg);
            assert!(svg.contains("font-family=\"Inter\""));
        }
    }
}

#[test]
fn empty_inputs_say_no_data() {
    let svg = monthly_svg(&monthly(0), (640, 300));
    assert!(svg.contains("No data"));
    let italian = MonthlyChart { locale: Locale::It, ..monthly(0) };
    assert!(monthly_svg(&italian, (640, 300)).contains("Nessun dato"));
    let mut g = grid();
    g.values = vec![vec![0.0; 4]; 3];
    assert!(grid_svg(&g, (640, 300)).contains("No data"));
}

#[test]
fn highlighted_point_is_labelled_and_escaped() {
    let svg = matrix_svg(&matrix(), (640, 420));
    assert!(svg.contains("Müller &amp; Söhne &lt;GmbH&gt;"));
    assert!(svg.contains("fill=\"#D9822B\""));
    assert_well_formed(&svg);
}

#[test]
fn hostile_label_text_stays_valid_xml() {
    let mut m = mix();
    m.categories[0] = "A \"quoted\" <b> & 'x'\u{0}\u{1b}\n".into();
    m.current_label = "This & <that>".into();
    let svg = mix_svg(&m, (640, 300));
    assert_well_formed(&svg);
    assert!(svg.contains("A &quot;quoted&quot; &lt;b&gt; &amp; &apos;x&apos;"));
    assert!(svg.contains("This &amp; &lt;that&gt;"));
}

#[test]
fn long_category_names_are_truncated() {
    let svg = mix_svg(&mix(), (640, 300));
    assert!(!svg.contains("Industrial fasteners and fixing systems"));
    assert!(svg.contains("Industrial fasteners…"));
    assert_eq!(truncate_chars("Industrial fasteners and fixing", 22).chars().count(), 21);
    assert_eq!(truncate_chars("Short", 22), "Short");
    let g = GridChart {
        locale: Default::default(),
        rows: vec!["An extremely long product category name".into()],
        columns: vec!["Q1".into()],
        values: vec![vec![1.0]],
    };
    assert!(grid_svg(&g, (640, 300)).contains("…"));
}

#[test]
fn pareto_curve_is_downsampled_keeping_ends() {
    let revenues: Vec<f64> = (0..5000).map(|i| 5000.0 - i as f64).collect();
    let curve = pareto::pareto_curve(&revenues);
    assert!(curve.len() <= MAX_CURVE_POINTS);
    assert_eq!(curve[0], (0.0, 0.0));
    assert_eq!(*curve.last().unwrap(), (1.0, 1.0));
    assert!(curve.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1));
}

#[test]
fn numbers_are_abbreviated() {
    assert_eq!(abbreviate(Locale::En, 1_234_567.0), "1.2M");
    assert_eq!(abbreviate(Locale::En, 350_000.0), "350k");
    assert_eq!(abbreviate(Locale::En, 12_500_000.0), "12.5M");
    assert_eq!(abbreviate(Locale::En, -12_000.0), "\u{2212}12k");
    assert_eq!(abbreviate(Locale::En, 999_960.0), "1M");
    assert_eq!(abbreviate(Locale::En, 850.0), "850");
    assert_eq!(abbreviate(Locale::En, 0.0), "0");
    assert_eq!(abbreviate(Locale::En, -0.01), "0");
    assert_eq!(abbreviate_with(Locale::En, 1_250_000.0, 2), "1.25M");
    assert_eq!(abbreviate(Locale::En, 2.5e9), "2.5bn");
    // Italian charts shorten money as the tiles do (locale::format::money_short).
    assert_eq!(abbreviate(Locale::It, 1_234_567.0), "1,2\u{a0}Mln");
    assert_eq!(abbreviate_with(Locale::It, -1_250_000.0, 2), "\u{2212}1,25\u{a0}Mln");
    assert_eq!(abbreviate(Locale::It, 350_000.0), "350\u{a0}mila");
    assert_eq!(abbreviate(Locale::It, 2.5e9), "2,5\u{a0}Mrd");
    assert_eq!(percent(0.8), "80%");
}

#[test]
fn ticks_cover_the_range() {
    let t = nice_ticks(-20_000.0, 95_000.0, 5);
    assert!(t[0] <= -20_000.0 && *t.last().unwrap() >= 95_000.0);
    assert!(t.contains(&0.0));
    assert!(nice_ticks(0.0, 0.0, 4).len() >= 2);
}

#[test]
fn opacity_moves_onto_the_paint() {
    let svg = r##"<circle r="1" opacity="0.35" fill="#1F4E79" stroke="none"/><circle opacity="0.7" fill="none" stroke="#1F4E79"/><polyline opacity="0.45" stroke="#B0B7BF"/><rect opacity="1" fill="#FFF"/>"##;
    assert_eq!(
        paint_opacity(svg),
        r##"<circle r="1" fill-opacity="0.35" fill="#1F4E79" stroke="none"/><circle stroke-opacity="0.7" fill="none" stroke="#1F4E79"/><polyline stroke-opacity="0.45" stroke="#B0B7BF"/><rect fill="#FFF"/>"##
    );
}

#[test]
fn an_overlay_holds_only_the_highlighted_bubble_and_its_label() {
    let chart = matrix();
    let overlay = matrix_overlay_svg(&chart, (520, 420));
    let whole = matrix_svg(&chart, (520, 420));
    assert!(overlay.starts_with("<svg"));
    assert!(overlay.contains("Müller &amp; Söhne"), "{overlay}");
    assert!(!overlay.contains("Withdraw"), "no cell titles: {overlay}");
    assert!(whole.contains("Withdraw"));
    // Only the highlighted bubble: a white ring and an orange disc, no background.
    assert_eq!(overlay.matches("<circle").count(), 2, "{overlay}");
    let background = "<rect x=\"0\" y=\"0\" width=\"520\"";
    assert!(whole.contains(background) && !overlay.contains(background), "{overlay}");
}

/// Whether two pixel boxes overlap.
fn boxes_overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

#[test]
fn a_highlight_label_stays_in_its_cell_and_off_the_titles_and_counts() {
    // The account sits in each corner of a crowded cell in turn, with a name
    // far wider than the cell; the bottom-right corner is where the count is.
    for (x, y) in [(1.0, 0.0), (0.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.5, 0.5)] {
        let mut chart = matrix();
        let last = chart.points.last_mut().unwrap();
        (last.x, last.y) = (x, y);
        last.highlight = Some("Ferramenta D'Angelo & Figli S.r.l., Bologna".into());
        let (labels, captions, cells) = matrix::label_layout(&chart, MATRIX_SIZE);
        assert_eq!(labels.len(), 1);
        let label = &labels[0];
        assert!(label.text.starts_with("Ferramenta"), "{}", label.text);
        let cell = cells[2 * 3 + 2];
        let b = label.at;
        assert!(
            b.0 >= cell.0 && b.2 <= cell.2 && b.1 >= cell.1 && b.3 <= cell.3,
            "label {b:?} leaves its cell {cell:?} at ({x}, {y})"
        );
        for c in &captions {
            assert!(!boxes_overlap(b, *c), "label {b:?} covers {c:?} at ({x}, {y})");
        }
        // Nor does the bubble, drawn over the chart, hide the count.
        let ((cx, cy), r) = label.bubble;
        let (cx, cy, r) = (cx as f64, cy as f64, r as f64);
        let count = captions.last().unwrap();
        assert!(!boxes_overlap((cx - r, cy - r, cx + r, cy + r), *count), "at ({x}, {y})");
    }
}

#[test]
fn two_highlight_labels_do_not_cover_each_other() {
    let mut chart = matrix();
    let mut other = chart.points.last().unwrap().clone();
    other.highlight = Some("Second account".into());
    other.y = 0.45;
    chart.points.push(other);
    let (labels, _, _) = matrix::label_layout(&chart, MATRIX_SIZE);
    assert_eq!(labels.len(), 2);
    assert!(!boxes_overlap(labels[0].at, labels[1].at), "{:?} {:?}", labels[0].at, labels[1].at);
}

#[test]
fn the_value_axis_of_a_bar_chart_reaches_past_its_longest_bar() {
    for (lo, hi) in
        [(0.0, 0.58), (0.0, 0.56), (0.0, 0.8), (-120.0, 96_000.0), (0.0, 1.0), (0.0, 7.0)]
    {
        let (start, end, ticks) = mix::value_axis(lo, hi, 5);
        assert!(end >= hi, "axis ends at {end} below {hi}");
        assert!(start <= lo);
        let last = *ticks.last().unwrap();
        assert!(last >= hi, "last tick {last} below the data's {hi}");
        assert!((last - end).abs() < 1e-9, "the axis runs past its last tick {last} to {end}");
    }
    // The shares of the resource balance: the bars reach 58%, so does a tick.
    let mut m = mix();
    m.shares = true;
    m.current = vec![0.14, 0.26, 0.03, 0.01, 0.56];
    m.previous = vec![0.28, 0.10, 0.03, 0.0, 0.58];
    m.categories =
        ["Opportunity", "Not assessed", "Star", "Status", "Strategic"].map(String::from).into();
    let svg = mix_svg(&m, (640, 300));
    assert!(svg.lines().any(|l| l.trim() == "60%"), "no 60% tick:\n{svg}");
}

#[test]
fn grid_values_fit_their_cells_on_one_line() {
    let labels: Vec<String> =
        ["3,2\u{a0}mila", "10,9\u{a0}mila", "9,8\u{a0}mila"].map(String::from).into();
    // Wide cells: the whole value at full size.
    assert_eq!(grid::cell_type(&labels, 80.0, 40.0), (11, false));
    // A month's column: the values go without their shared unit.
    let (px, bare) = grid::cell_type(&labels, 36.0, 40.0);
    assert!(bare && px >= 9, "{px} {bare}");
    assert!(text_width("10,9", px, false) + 6.0 <= 36.0);
    // Mixed units keep theirs, at the smallest size.
    let mixed: Vec<String> = ["850", "3,2\u{a0}mila"].map(String::from).into();
    assert_eq!(grid::cell_type(&mixed, 30.0, 40.0), (9, false));
}
