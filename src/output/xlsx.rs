//! Tables as XLSX workbooks: styled header, numbers as numbers, dates as
//! dates, frozen header row, autofilter and fitted column widths.

use super::table::{ColumnKind, Table, Value};
use crate::model::Date;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

/// Builds a workbook with one sheet per `(name, table)`. The document date is
/// fixed to `as_of`, so the same inputs give the same bytes.
pub fn workbook(sheets: &[(&str, &Table)], as_of: Date) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let (y, m, d) = as_of.ymd();
    let created = ExcelDateTime::from_ymd(y as u16, m as u8, d as u8)?;
    workbook.set_properties(
        &DocProperties::new().set_creation_datetime(&created).set_author("kamplan"),
    );
    let header = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x1F3A5F))
        .set_border_bottom(FormatBorder::Thin);
    for (name, table) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name)?;
        for (c, column) in table.columns.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, &column.name, &header)?;
        }
        let formats: Vec<Format> = table.columns.iter().map(|c| number_format(c.kind)).collect();
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, value) in row.iter().enumerate() {
                let (col, format) = (c as u16, &formats[c]);
                match value {
                    Value::Null => {}
                    Value::Text(t) => {
                        sheet.write_string_with_format(r, col, t, format)?;
                    }
                    Value::Amount(a) => {
                        sheet.write_number_with_format(r, col, a.to_f64(), format)?;
                    }
                    Value::Count(n) => {
                        sheet.write_number_with_format(r, col, *n as f64, format)?;
                    }
                    Value::Ratio(x) | Value::Number(x) => {
                        sheet.write_number_with_format(r, col, *x, format)?;
                    }
                    Value::Date(d) => {
                        let (y, m, day) = d.ymd();
                        // Excel has no dates before 1900 (ERPs use 1899-12-30 as "no date"): keep them as text.
                        match ExcelDateTime::from_ymd(y as u16, m as u8, day as u8) {
                            Ok(date) if y >= 1900 => {
                                sheet.write_datetime_with_format(r, col, &date, format)?
                            }
                            _ => sheet.write_string(r, col, d.to_string())?,
                        };
                    }
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        // Printed, the table fits the page width (A4 landscape) and repeats its header.
        sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(0, 0)?;
        let last_col = table.columns.len().saturating_sub(1) as u16;
        sheet.autofilter(0, 0, table.rows.len() as u32, last_col)?;
        for (c, width) in column_widths(table).into_iter().enumerate() {
            sheet.set_column_width(c as u16, width)?;
        }
    }
    workbook.save_to_buffer()
}

/// Column widths in characters: the longest header or value as shown, plus
/// room for the filter button and some air, at most 60. Computed here rather
/// than by the spreadsheet's autofit, whose estimate is too tight in some
/// applications.
fn column_widths(table: &Table) -> Vec<f64> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(c, column)| {
            let longest_value =
                table.rows.iter().map(|row| shown_length(&row[c], column.kind)).max().unwrap_or(0);
            let header = column.name.chars().count() + 3; // the autofilter button
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
        ColumnKind::Text => Format::new(),
        ColumnKind::Class => Format::new().set_align(FormatAlign::Center),
        ColumnKind::Money => Format::new().set_num_format("#,##0.00"),
        ColumnKind::Quantity => Format::new().set_num_format("#,##0.###"),
        ColumnKind::Count => Format::new().set_num_format("0"),
        ColumnKind::Percent => Format::new().set_num_format("0.0%"),
        ColumnKind::Number => Format::new().set_num_format("0.000"),
        ColumnKind::Date => Format::new().set_num_format("yyyy-mm-dd"),
    }
}
