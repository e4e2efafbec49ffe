//! The workbook: tables with a styled header, numbers as numbers, dates as
//! dates, frozen header row (and customer id and name), autofilter, fitted column widths and colours
//! by class, severity and alert; and the matrices laid out as grids.

use super::table::{ColumnKind, Table, Value, alerts_table};
use crate::analysis::quality::DataQuality;
use crate::classify::Portfolio;
use crate::classify::variables::column_header;
use crate::config::rules::Rules;
use crate::locale::Locale;
use crate::model::Date;
use crate::report::portfolio::{MatrixTable, SegmentCell, matrix_tables};
use rust_xlsxwriter::{
    Color, ConditionalFormatBlank, ConditionalFormatCell, ConditionalFormatCellRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// One sheet of the workbook.
pub enum Sheet<'a> {
    /// A table under its sheet name.
    Table(&'a str, &'a Table),
    /// A matrix as a grid, on a sheet named after its id.
    Matrix(&'a MatrixTable),
}

/// The sheets every workbook has after the portfolio: one per matrix of
/// the rules, then the fired alerts, then the data-quality findings.
pub struct RuleSheets {
    pub matrices: Vec<MatrixTable>,
    pub alerts: Table,
    pub quality: Option<Table>,
}

impl RuleSheets {
    pub fn new(portfolio: &Portfolio, rules: &Rules) -> RuleSheets {
        RuleSheets {
            matrices: matrix_tables(portfolio, rules),
            alerts: alerts_table(portfolio, rules),
            quality: None,
        }
    }

    /// The same sheets with the run's data-quality checks, money in `currency`.
    pub fn with_quality(self, quality: &DataQuality, currency: &str) -> RuleSheets {
        RuleSheets { quality: Some(super::analysis::quality_table(quality, currency)), ..self }
    }

    /// The matrices in rule order, then `Alerts`, then `Data quality`.
    pub fn sheets(&self) -> Vec<Sheet<'_>> {
        let mut sheets: Vec<Sheet> = self.matrices.iter().map(Sheet::Matrix).collect();
        sheets.push(Sheet::Table("Alerts", &self.alerts));
        if let Some(quality) = &self.quality {
            sheets.push(Sheet::Table("Data quality", quality));
        }
        sheets
    }
}

/// Dark navy of the table headers.
const HEADER: u32 = 0x1F3A5F;
/// Fills of classes by rank, the first class darkest (the charts' ramp),
/// and whether the text on them is white. Classes past the last fill share it.
const CLASS_FILLS: [(u32, bool); 5] =
    [(0x1F4E79, true), (0x4F8FC0, true), (0xA9C6E0, false), (0xD6E4F0, false), (0xEEF3F9, false)];
/// Fills of alert severities, as in the documents.
const SEVERITY_FILLS: [(&str, u32); 4] =
    [("high", 0xB3261E), ("medium", 0xD9822B), ("low", 0x4F8FC0), ("info", 0x6B7785)];
/// Fill of a customer's alerts cell when alerts fired.
const ALERT_FILL: u32 = 0xFBE5D6;
/// Light fills and lines of the matrix grids.
const BAND_FILL: u32 = 0xD6E4F0;
const SEGMENT_FILL: u32 = 0xF3F6F9;
const GRID_LINE: u32 = 0xB0B7BF;
const MUTED: u32 = 0x5F6B78;

/// Builds the workbook, sheets in the order given. Tables keep their names;
/// a matrix's sheet is named after its id, made Excel-safe (at most 31
/// characters, none of `[]:*?/\`) and distinct from every other sheet. The
/// document date is fixed to `as_of`, so the same inputs give the same bytes.
/// Sheet names and column headers are in `locale`: in English the column ids
/// of `portfolio.csv`, in another language their names in words.
pub fn workbook(sheets: &[Sheet], as_of: Date, locale: Locale) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let (y, m, d) = as_of.ymd();
    // Excel has no dates before 1900: an earlier analysis date dates the workbook 1900-01-01.
    let created = match ExcelDateTime::from_ymd(y as u16, m as u8, d as u8) {
        Ok(created) if y >= 1900 => created,
        _ => ExcelDateTime::from_ymd(1900, 1, 1)?,
    };
    workbook.set_properties(
        &DocProperties::new().set_creation_datetime(&created).set_author("kamplan"),
    );
    for (sheet, name) in sheets.iter().zip(sheet_names(sheets, locale)) {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(&name)?;
        match sheet {
            Sheet::Table(_, table) => write_table(worksheet, &name, table, locale)?,
            Sheet::Matrix(matrix) => write_matrix(worksheet, matrix, locale).map_err(|e| match e {
                XlsxError::MaxStringLengthExceeded => XlsxError::CustomError(format!(
                    "sheet \"{name}\": a title, label or description of matrix \"{}\" is longer than the 32,767 characters Excel holds in a cell; shorten it in the rules",
                    matrix.id
                )),
                other => other,
            })?,
        }
    }
    // Deflate level 2 instead of 6: on a 20,000-customer portfolio the file is
    // a quarter larger (6.2 MB instead of 5.0) and built in 0.63 s instead of 1.1 s.
    workbook.set_zip_compression_level(2);
    workbook.save_to_buffer()
}

/// The sheets' names: tables' as given, matrices' from their ids, unique
/// (ignoring case, as Excel does) against the tables and each other.
fn sheet_names(sheets: &[Sheet], locale: Locale) -> Vec<String> {
    // "History" is reserved by Excel.
    let mut taken: Vec<String> = vec!["history".into()];
    taken.extend(sheets.iter().filter_map(|s| match s {
        Sheet::Table(name, _) => Some(locale.text(name).to_lowercase()),
        Sheet::Matrix(_) => None,
    }));
    sheets
        .iter()
        .map(|s| match s {
            Sheet::Table(name, _) => locale.text(name).to_string(),
            Sheet::Matrix(matrix) => {
                let name = unique_name(&safe_name(&matrix.id), &taken);
                taken.push(name.to_lowercase());
                name
            }
        })
        .collect()
}

/// `wanted` without the characters Excel forbids in sheet names, not
/// starting or ending with an apostrophe, at most 31 UTF-16 units long.
fn safe_name(wanted: &str) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) || c.is_control() { '_' } else { c })
        .collect();
    let cleaned = truncate_utf16(cleaned.trim_matches('\''), 31);
    let cleaned = cleaned.trim_matches('\'');
    if cleaned.is_empty() { "Matrix".to_string() } else { cleaned.to_string() }
}

/// `name`, or `name (2)`, `name (3)`, … shortened to fit 31 UTF-16 units,
/// the first not in `taken` (lower-cased names).
fn unique_name(name: &str, taken: &[String]) -> String {
    let free = |candidate: &str| !taken.contains(&candidate.to_lowercase());
    if free(name) {
        return name.to_string();
    }
    (2..)
        .map(|n| {
            let suffix = format!(" ({n})");
            let base = truncate_utf16(name, 31 - suffix.len());
            format!("{}{suffix}", base.trim_end_matches('\''))
        })
        .find(|candidate| free(candidate))
        .expect("some number is free")
}

/// The longest prefix of `text` of at most `units` UTF-16 code units.
fn truncate_utf16(text: &str, units: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += c.len_utf16();
        if used > units {
            return &text[..i];
        }
    }
    text
}

/// Most characters (UTF-16 code units) Excel holds in a cell.
const MAX_CELL_TEXT: usize = crate::model::MAX_TEXT_UNITS;

/// The error for a text too long for a cell: the sheet, row and column, the
/// customer of the row, and Excel's limit. Such a text stops the workbook
/// rather than being cut, since nothing may be lost silently.
fn text_too_long(sheet: &str, table: &Table, row: usize, column: usize, text: &str) -> XlsxError {
    let customer = table
        .columns
        .iter()
        .position(|c| c.name == "customer_id")
        .and_then(|c| match &table.rows[row][c] {
            Value::Text(id) => Some(format!(" (customer {id})")),
            _ => None,
        })
        .unwrap_or_default();
    XlsxError::CustomError(format!(
        "sheet \"{sheet}\", row {}, column \"{}\"{customer}: the text is {} characters long; Excel holds at most 32,767 characters in a cell. Shorten it where it comes from (the customers master, the sales or the rules)",
        row + 2,
        table.columns[column].name,
        text.encode_utf16().count(),
    ))
}

fn write_table(
    sheet: &mut Worksheet,
    name: &str,
    table: &Table,
    locale: Locale,
) -> Result<(), XlsxError> {
    let format = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(HEADER))
        .set_border_bottom(FormatBorder::Thin);
    for (c, column) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(
            0,
            c as u16,
            column_header(&column.name, locale),
            &format,
        )?;
    }
    // A column's number format is set once on the column, and its cells
    // written without one take it: a format given per cell is looked up in a
    // hash table cell by cell, which was most of the time of a large sheet.
    for (c, column) in table.columns.iter().enumerate() {
        let format = number_format(column.kind);
        if format != Format::new() {
            sheet.set_column_format(c as u16, &format)?;
        }
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, value) in row.iter().enumerate() {
            let col = c as u16;
            match value {
                Value::Null => {}
                Value::Text(t) => {
                    if t.len() > MAX_CELL_TEXT && t.encode_utf16().count() > MAX_CELL_TEXT {
                        return Err(text_too_long(name, table, r as usize - 1, c, t));
                    }
                    sheet.write_string(r, col, t)?;
                }
                Value::Amount(a) => {
                    sheet.write_number(r, col, a.to_f64())?;
                }
                Value::Count(n) => {
                    sheet.write_number(r, col, *n as f64)?;
                }
                Value::Ratio(x) | Value::Number(x) => {
                    sheet.write_number(r, col, *x)?;
                }
                Value::Date(d) => {
                    let (y, m, day) = d.ymd();
                    // Excel has no dates before 1900 (ERPs use 1899-12-30 as "no date"): keep them as text.
                    match ExcelDateTime::from_ymd(y as u16, m as u8, day as u8) {
                        Ok(date) if y >= 1900 => sheet.write_datetime(r, col, &date)?,
                        _ => sheet.write_string(r, col, d.to_string())?,
                    };
                }
            }
        }
    }
    add_colours(sheet, table)?;
    sheet.set_freeze_panes(1, frozen_columns(table))?;
    // Printed, the table fits the page width (A4 landscape) and repeats its header.
    sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    let last_col = table.columns.len().saturating_sub(1) as u16;
    sheet.autofilter(0, 0, table.rows.len() as u32, last_col)?;
    for (c, width) in column_widths(table, locale).into_iter().enumerate() {
        sheet.set_column_width(c as u16, width)?;
    }
    Ok(())
}

/// Columns kept in view when scrolling right: a table of customers keeps
/// their id and name beside every figure; other tables only their header.
fn frozen_columns(table: &Table) -> u16 {
    let names: Vec<&str> = table.columns.iter().take(2).map(|c| c.name.as_str()).collect();
    if names == ["customer_id", "name"] { 2 } else { 0 }
}

/// Conditional formats over the data rows, so that cells a user edits keep
/// the colour of their new value: a fill per class rank on class columns, per
/// severity on severity columns, and a highlight on non-empty alert cells.
fn add_colours(sheet: &mut Worksheet, table: &Table) -> Result<(), XlsxError> {
    let last_row = table.rows.len() as u32;
    if last_row == 0 {
        return Ok(());
    }
    let filled = |fill: u32, white: bool| {
        let format = Format::new().set_background_color(Color::RGB(fill));
        if white { format.set_font_color(Color::White) } else { format }
    };
    let equal_to = |value: &str, format: Format| {
        ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(value))
            .set_format(format)
    };
    for (c, column) in table.columns.iter().enumerate() {
        let c = c as u16;
        match column.kind {
            ColumnKind::Class => {
                for (rank, level) in column.levels.iter().enumerate() {
                    let (fill, white) = CLASS_FILLS[rank.min(CLASS_FILLS.len() - 1)];
                    let rule = equal_to(level, filled(fill, white));
                    sheet.add_conditional_format(1, c, last_row, c, &rule)?;
                }
            }
            ColumnKind::Severity => {
                for (severity, fill) in SEVERITY_FILLS {
                    let rule = equal_to(severity, filled(fill, true));
                    sheet.add_conditional_format(1, c, last_row, c, &rule)?;
                }
            }
            ColumnKind::Alerts => {
                let rule =
                    ConditionalFormatBlank::new().invert().set_format(filled(ALERT_FILL, false));
                sheet.add_conditional_format(1, c, last_row, c, &rule)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Column widths in characters: the longest header or value as shown, plus
/// room for the filter button and some air, at most 60. Computed here rather
/// than by the spreadsheet's autofit, whose estimate is too tight in some
/// applications.
fn column_widths(table: &Table, locale: Locale) -> Vec<f64> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(c, column)| {
            let longest_value =
                table.rows.iter().map(|row| shown_length(&row[c], column.kind)).max().unwrap_or(0);
            let header = column_header(&column.name, locale).chars().count() + 3; // the autofilter button
            (header.max(longest_value) + 2).min(60) as f64
        })
        .collect()
}

/// Approximate length of a value as the spreadsheet shows it.
fn shown_length(value: &Value, kind: ColumnKind) -> usize {
    let plain = value.plain().chars().count();
    match kind {
        // Thousands separators and the fixed decimals of the number format.
        ColumnKind::Money | ColumnKind::Quantity => plain + plain / 3 + 1,
        ColumnKind::Percent => 7,
        ColumnKind::Number => plain.min(8),
        _ => plain,
    }
}

fn number_format(kind: ColumnKind) -> Format {
    match kind {
        ColumnKind::Text | ColumnKind::Alerts => Format::new(),
        ColumnKind::Class | ColumnKind::Severity => Format::new().set_align(FormatAlign::Center),
        ColumnKind::Money => Format::new().set_num_format(MONEY),
        ColumnKind::Quantity => Format::new().set_num_format("#,##0.###"),
        ColumnKind::Count => Format::new().set_num_format("0"),
        ColumnKind::Percent => Format::new().set_num_format(PERCENT),
        ColumnKind::Number => Format::new().set_num_format("0.000"),
        ColumnKind::Date => Format::new().set_num_format("yyyy-mm-dd"),
    }
}

const MONEY: &str = "#,##0.00";
const PERCENT: &str = "0.0%";

/// What each cell of a matrix shows, one line each, top to bottom.
const MEASURES: [&str; 5] = ["segment", "segment id", "customers", "revenue", "share of revenue"];
/// Sheet rows above the first band of the grid: title, description, a gap,
/// the x axis title and the x band labels.
const GRID_TOP: u32 = 5;
/// Columns left of the first x band: y axis title, y band labels, measures.
const GRID_LEFT: u16 = 3;

/// A matrix as it is drawn: the x axis title and band labels above the grid,
/// the y axis title and band labels on its left (highest band on top), and
/// in each cell its segment's title, id, customers, revenue and share of
/// revenue, one under the other; then the missing-data segment, when the
/// matrix has one, under the grid.
fn write_matrix(sheet: &mut Worksheet, m: &MatrixTable, locale: Locale) -> Result<(), XlsxError> {
    let grid = MatrixGrid::new(sheet, m, locale)?;
    grid.heading(sheet, m)?;
    for (i, row) in m.rows.iter().enumerate() {
        let cells: Vec<&SegmentCell> = row.cells.iter().collect();
        grid.block(sheet, GRID_TOP + grid.height * i as u32, &row.label, &cells)?;
    }
    let mut below = GRID_TOP + grid.height * m.rows.len() as u32 + 1;
    if let Some(missing) = &m.missing {
        grid.block(sheet, below, locale.text("missing data"), &[missing])?;
        below += grid.height + 1;
    }
    let note = locale.text(
        "Each cell counts the customers placed in it (a segment over several cells is split among them); shares are of the whole portfolio's revenue.",
    );
    sheet.write_string_with_format(
        below,
        1,
        note,
        &Format::new().set_italic().set_font_color(Color::RGB(MUTED)),
    )?;
    // Printed, the matrix fits one page (A4 landscape).
    sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 1);
    Ok(())
}

/// The sheet of one matrix: its measure names, column widths and formats.
struct MatrixGrid {
    measures: [&'static str; 5],
    /// Rows per segment block, one per measure.
    height: u32,
    label_width: usize,
    measure_width: usize,
    cell_width: usize,
    axis: Format,
    band: Format,
    measure: Format,
    first_measure: Format,
    /// Title, id, customers, revenue, share: one format per measure.
    cells: [Format; 5],
}

impl MatrixGrid {
    /// The formats, and the column widths set on `sheet`: cells wide enough
    /// for most titles on one or two lines.
    fn new(sheet: &mut Worksheet, m: &MatrixTable, locale: Locale) -> Result<Self, XlsxError> {
        let measures = MEASURES.map(|m| locale.text(m));
        let line =
            Format::new().set_border(FormatBorder::Thin).set_border_color(Color::RGB(GRID_LINE));
        let centred =
            line.clone().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
        let title = line
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(SEGMENT_FILL))
            .set_border_top(FormatBorder::Medium);
        let measure = line.clone().set_italic().set_font_color(Color::RGB(MUTED));
        let grid = MatrixGrid {
            measures,
            height: MEASURES.len() as u32,
            label_width: 0,
            measure_width: measures.iter().map(|m| m.chars().count()).max().unwrap_or(0),
            cell_width: 0,
            axis: centred
                .clone()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(HEADER)),
            band: centred
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(BAND_FILL))
                .set_text_wrap(),
            first_measure: measure
                .clone()
                .set_background_color(Color::RGB(SEGMENT_FILL))
                .set_border_top(FormatBorder::Medium)
                .set_align(FormatAlign::VerticalCenter),
            measure,
            cells: [
                title,
                line.clone().set_font_color(Color::RGB(MUTED)),
                line.clone().set_num_format("#,##0"),
                line.clone().set_num_format(MONEY),
                line.clone().set_num_format(PERCENT),
            ],
        };
        let longest =
            |texts: Vec<&String>| texts.iter().map(|t| t.chars().count()).max().unwrap_or(0);
        let titles = m.rows.iter().flat_map(|r| &r.cells).chain(&m.missing).map(|c| &c.title);
        let cell_width = (longest(titles.collect()) + 2).clamp(14, 30);
        let missing_label = locale.text("missing data");
        let label_width = longest(m.rows.iter().map(|r| &r.label).collect());
        let label_width = (label_width.max(missing_label.len()) + 2).min(30);
        sheet.set_column_width(0, 5)?;
        sheet.set_column_width(1, label_width as f64)?;
        sheet.set_column_width(2, (grid.measure_width + 2) as f64)?;
        for c in 0..m.x_labels.len() as u16 {
            sheet.set_column_width(GRID_LEFT + c, cell_width as f64)?;
        }
        Ok(MatrixGrid { label_width, cell_width, ..grid })
    }

    /// The title, the description over the grid's width, and the axes: x
    /// above the grid, y on its left written upwards.
    fn heading(&self, sheet: &mut Worksheet, m: &MatrixTable) -> Result<(), XlsxError> {
        let bands = m.x_labels.len() as u16;
        let last_col = GRID_LEFT + bands.max(1) - 1;
        let heading =
            Format::new().set_bold().set_font_size(14).set_font_color(Color::RGB(0x1F4E79));
        sheet.write_string_with_format(0, 0, &m.title, &heading)?;
        sheet.set_row_height(0, 21)?;
        if !m.description.is_empty() {
            let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
            sheet.merge_range(1, 0, 1, last_col, &m.description, &wrapped)?;
            let width =
                5 + self.label_width + self.measure_width + 2 + self.cell_width * bands as usize;
            let per_line = width.saturating_sub(4).max(10);
            let lines: usize =
                m.description.lines().map(|l| l.chars().count().div_ceil(per_line).max(1)).sum();
            sheet.set_row_height(1, line_height(lines))?;
        }
        merge_or_write(sheet, (3, GRID_LEFT), (3, last_col), &m.x_title, &self.axis)?;
        for (c, label) in m.x_labels.iter().enumerate() {
            sheet.write_string_with_format(4, GRID_LEFT + c as u16, label, &self.band)?;
        }
        if !m.rows.is_empty() {
            let bottom = GRID_TOP + self.height * m.rows.len() as u32 - 1;
            let upwards = self.axis.clone().set_rotation(90);
            merge_or_write(sheet, (GRID_TOP, 0), (bottom, 0), &m.y_title, &upwards)?;
        }
        Ok(())
    }

    /// One row of the grid from `top`: the band's label, the measure names,
    /// and each cell's measures one under the other.
    fn block(
        &self,
        sheet: &mut Worksheet,
        top: u32,
        label: &str,
        cells: &[&SegmentCell],
    ) -> Result<(), XlsxError> {
        merge_or_write(sheet, (top, 1), (top + self.height - 1, 1), label, &self.band)?;
        for (i, name) in self.measures.iter().enumerate() {
            let format = if i == 0 { &self.first_measure } else { &self.measure };
            sheet.write_string_with_format(top + i as u32, 2, *name, format)?;
        }
        let lines = |c: usize| c.div_ceil(self.cell_width.saturating_sub(2).max(1)).max(1);
        let tallest = cells.iter().map(|c| lines(c.title.chars().count())).max().unwrap_or(1);
        sheet.set_row_height(top, line_height(tallest))?;
        let f = &self.cells;
        for (c, cell) in cells.iter().enumerate() {
            let col = GRID_LEFT + c as u16;
            sheet.write_string_with_format(top, col, &cell.title, &f[0])?;
            sheet.write_string_with_format(top + 1, col, &cell.segment, &f[1])?;
            sheet.write_number_with_format(top + 2, col, cell.customers as f64, &f[2])?;
            sheet.write_number_with_format(top + 3, col, cell.revenue, &f[3])?;
            match cell.revenue_share {
                Some(share) => sheet.write_number_with_format(top + 4, col, share, &f[4])?,
                None => sheet.write_blank(top + 4, col, &f[4])?,
            };
        }
        Ok(())
    }
}

/// The height in points of a row of `lines` lines of text, at most Excel's 409.
fn line_height(lines: usize) -> f64 {
    (15.0 * lines.max(1) as f64).min(409.0)
}

/// Merges the range into one cell holding `text`, or writes the single cell
/// (Excel cannot merge a single cell).
fn merge_or_write(
    sheet: &mut Worksheet,
    (first_row, first_col): (u32, u16),
    (last_row, last_col): (u32, u16),
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if (first_row, first_col) == (last_row, last_col) {
        sheet.write_string_with_format(first_row, first_col, text, format)?;
    } else {
        sheet.merge_range(first_row, first_col, last_row, last_col, text, format)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_sheet_names_are_safe_and_unique() {
        assert_eq!(safe_name("abc_xyz"), "abc_xyz");
        assert_eq!(safe_name("a/b:c"), "a_b_c");
        assert_eq!(safe_name("'quoted'"), "quoted");
        assert_eq!(safe_name(""), "Matrix");
        let long = "key_account_identification_by_potential";
        assert_eq!(safe_name(long), "key_account_identification_by_p");
        let taken = vec!["alerts".to_string(), "portfolio".to_string()];
        assert_eq!(unique_name("Alerts", &taken), "Alerts (2)");
        assert_eq!(unique_name("kam", &taken), "kam");
        let taken = vec![safe_name(long).to_lowercase()];
        let name = unique_name(&safe_name(long), &taken);
        assert_eq!(name, "key_account_identification_ (2)");
        assert_eq!(name.encode_utf16().count(), 31);
    }
}
