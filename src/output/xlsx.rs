//! Tables as XLSX workbooks: styled header, numbers as numbers, dates as
//! dates, frozen header row, autofilter and fitted column widths.

use super::table::{ColumnKind, Table, Value};
use crate::model::Date;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, XlsxError,
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
            sheet.write_string_with_format(0, c as u16, column.name, &header)?;
        }
        let formats: Vec<Format> = table.columns.iter().map(|c| number_format(c.kind)).collect();
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, value) in row.iter().enumerate() {
                let (col, format) = (c as u16, &formats[c]);
                match value {
                    Value::Null => {}
                    Value::Text(t) => {
                        sheet.write_string(r, col, t)?;
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
                        let date = ExcelDateTime::from_ymd(y as u16, m as u8, day as u8)?;
                        sheet.write_datetime_with_format(r, col, &date, format)?;
                    }
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        let last_col = table.columns.len().saturating_sub(1) as u16;
        sheet.autofilter(0, 0, table.rows.len() as u32, last_col)?;
        sheet.set_autofit_max_width(360);
        sheet.autofit();
    }
    workbook.save_to_buffer()
}

fn number_format(kind: ColumnKind) -> Format {
    match kind {
        ColumnKind::Text => Format::new(),
        ColumnKind::Money => Format::new().set_num_format("#,##0.00"),
        ColumnKind::Quantity => Format::new().set_num_format("#,##0.###"),
        ColumnKind::Count => Format::new().set_num_format("0"),
        ColumnKind::Percent => Format::new().set_num_format("0.0%"),
        ColumnKind::Number => Format::new().set_num_format("0.000"),
        ColumnKind::Date => Format::new().set_num_format("yyyy-mm-dd"),
    }
}
