//! Matching a file's header row to the canonical fields.

use crate::model::fields::{CanonicalField, normalize_header};
use std::fmt;

/// Where each canonical field sits in a file's rows.
#[derive(Clone, Debug)]
pub struct ColumnMap<F> {
    /// Column index (0-based) of each field, in the order of `F::ALL`.
    positions: Vec<Option<usize>>,
    /// The header row as written.
    pub headers: Vec<String>,
    _field: std::marker::PhantomData<F>,
}

impl<F: CanonicalField> ColumnMap<F> {
    /// Column index of `field`, if the file has it.
    pub fn column(&self, field: F) -> Option<usize> {
        self.positions[field.index()]
    }

    /// Columns no field claims, with their headers: kept as attributes where useful.
    pub fn unmapped(&self) -> impl Iterator<Item = (usize, &str)> {
        self.headers
            .iter()
            .enumerate()
            .filter(|(i, h)| !h.trim().is_empty() && !self.positions.contains(&Some(*i)))
            .map(|(i, h)| (i, h.as_str()))
    }
}

/// Word stems of headers that hold a field kamplan did not recognise by
/// name (`Costo std`, `Data reg.`): such a column left unmapped is worth a
/// warning, because without it the figures it feeds are silently missing.
const LOOK_ALIKES: &[(&str, &[&str])] = &[
    ("cost", &["cost", "kosten", "cout", "einstand"]),
    ("date", &["date", "data", "datum"]),
    ("potential", &["potential", "potenzial"]),
    ("revenue", &["revenue", "importo", "fatturato", "umsatz", "amount"]),
    ("customer_id", &["cliente", "customer", "kunde"]),
];

impl<F: CanonicalField> ColumnMap<F> {
    /// The fields a row must have: up to the last named header (unnamed
    /// trailing ones, from a header ending in a delimiter, may be absent).
    pub fn width(&self) -> usize {
        self.headers.iter().rposition(|h| !h.trim().is_empty()).map_or(0, |i| i + 1)
    }

    /// Each non-empty header with the field it was mapped to, or `None` (ignored).
    pub fn describe(&self) -> Vec<(String, Option<&'static str>)> {
        self.headers
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.trim().is_empty())
            .map(|(i, h)| {
                let field = F::ALL.iter().find(|f| self.column(**f) == Some(i)).map(|f| f.name());
                (h.clone(), field)
            })
            .collect()
    }

    /// Whether the header row has `header` (compared as mappings are).
    pub fn has_header(&self, header: &str) -> bool {
        let wanted = normalize_header(header);
        self.headers.iter().any(|h| normalize_header(h) == wanted)
    }

    /// Unmapped headers that look like a field left without a column:
    /// (header, field name).
    pub fn look_alikes(&self) -> Vec<(String, &'static str)> {
        let unmapped_fields: Vec<&'static str> =
            F::ALL.iter().filter(|f| self.column(**f).is_none()).map(|f| f.name()).collect();
        self.unmapped()
            .filter_map(|(_, header)| {
                let normalized = normalize_header(header);
                LOOK_ALIKES
                    .iter()
                    .filter(|(field, _)| unmapped_fields.contains(field))
                    .find(|(_, stems)| stems.iter().any(|s| normalized.contains(s)))
                    .map(|(field, _)| (header.to_string(), *field))
            })
            .collect()
    }
}

/// Why a header row cannot be mapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappingError {
    /// `table` is the kamplan.toml table to map in; `unused` a header no field claims, for the example.
    MissingRequired {
        missing: Vec<&'static str>,
        headers: Vec<String>,
        table: &'static str,
        unused: Option<String>,
    },
    Ambiguous {
        field: &'static str,
        first: String,
        second: String,
    },
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MappingError::MissingRequired { missing, headers, table, unused } => {
                let found: Vec<String> = headers.iter().map(|h| format!("\"{h}\"")).collect();
                write!(
                    f,
                    "no column for required field{} {}; headers found: {}",
                    if missing.len() > 1 { "s" } else { "" },
                    missing.join(", "),
                    found.join(", "),
                )?;
                if let Some(header) = unused {
                    write!(
                        f,
                        ". Map a header to it, e.g. [{table}.columns] \"{header}\" = \"{}\" (or --map \"{header}={}\")",
                        missing[0], missing[0]
                    )?;
                }
                Ok(())
            }
            MappingError::Ambiguous { field, first, second } => write!(
                f,
                "columns \"{first}\" and \"{second}\" both look like {field}; map the right one explicitly in the columns table"
            ),
        }
    }
}

/// Maps headers to fields: explicit mappings (`header = field`) first, then
/// canonical names and known synonyms. Matching ignores case, accents, spaces
/// and punctuation.
pub fn map_columns<F: CanonicalField>(
    headers: &[&str],
    explicit: &[(String, F)],
) -> Result<ColumnMap<F>, MappingError> {
    let normalized: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let mut positions: Vec<Option<usize>> = vec![None; F::ALL.len()];
    let slot = |field: F| field.index();
    let mut explicit_fields = Vec::new();
    for (header, field) in explicit {
        let wanted = normalize_header(header);
        if let Some(col) = normalized.iter().position(|n| *n == wanted) {
            if let Some(first) = positions[slot(*field)].filter(|first| *first != col) {
                return Err(MappingError::Ambiguous {
                    field: field.name(),
                    first: headers[first].to_string(),
                    second: headers[col].to_string(),
                });
            }
            positions[slot(*field)] = Some(col);
            explicit_fields.push(*field);
        }
    }
    for (col, header) in headers.iter().enumerate() {
        if positions.contains(&Some(col)) {
            continue;
        }
        let Some(field) = F::recognise(header) else { continue };
        if explicit_fields.contains(&field) {
            continue;
        }
        match positions[slot(field)] {
            Some(first) => {
                return Err(MappingError::Ambiguous {
                    field: field.name(),
                    first: headers[first].to_string(),
                    second: header.to_string(),
                });
            }
            None => positions[slot(field)] = Some(col),
        }
    }
    let missing: Vec<&'static str> = F::ALL
        .iter()
        .zip(&positions)
        .filter(|(f, p)| f.required() && p.is_none())
        .map(|(f, _)| f.name())
        .collect();
    let unused = headers
        .iter()
        .enumerate()
        .find(|(i, h)| !h.trim().is_empty() && !positions.contains(&Some(*i)))
        .map(|(_, h)| h.to_string());
    let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    if !missing.is_empty() {
        return Err(MappingError::MissingRequired { missing, headers, table: F::TABLE, unused });
    }
    Ok(ColumnMap { positions, headers, _field: std::marker::PhantomData })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fields::SalesField;

    #[test]
    fn maps_italian_headers_and_explicit_names() {
        let headers = ["Data documento", "Codice Cliente", "Importo riga", "Note"];
        let explicit = vec![("importo RIGA".to_string(), SalesField::Revenue)];
        let map = map_columns::<SalesField>(&headers, &explicit).unwrap();
        assert_eq!(map.column(SalesField::Date), Some(0));
        assert_eq!(map.column(SalesField::CustomerId), Some(1));
        assert_eq!(map.column(SalesField::Revenue), Some(2));
        assert_eq!(map.column(SalesField::Cost), None);
        assert_eq!(map.unmapped().collect::<Vec<_>>(), [(3, "Note")]);
    }

    #[test]
    fn describes_the_mapping_and_warns_of_look_alikes() {
        let headers = ["Data", "Cliente", "Importo", "Costo std", "Note"];
        let map = map_columns::<SalesField>(&headers, &[]).unwrap();
        let described = map.describe();
        assert_eq!(described[0], ("Data".to_string(), Some("date")));
        assert_eq!(described[4], ("Note".to_string(), None));
        assert_eq!(map.look_alikes(), [("Costo std".to_string(), "cost")]);
        assert!(map.has_header("costo STD"));
        let mapped =
            map_columns::<SalesField>(&headers, &[("Costo std".to_string(), SalesField::Cost)])
                .unwrap();
        assert!(mapped.look_alikes().is_empty());
    }

    #[test]
    fn lists_the_headers_when_a_required_column_is_missing() {
        let err = map_columns::<SalesField>(&["Data", "Cliente", "Totale riga"], &[]).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("required field revenue"), "{text}");
        assert!(text.contains("\"Data\", \"Cliente\", \"Totale riga\""), "{text}");
    }

    #[test]
    fn refuses_to_guess_between_two_candidates() {
        let err = map_columns::<SalesField>(&["Data", "Cliente", "Importo", "Fatturato"], &[])
            .unwrap_err();
        assert!(matches!(err, MappingError::Ambiguous { field: "revenue", .. }));
    }
}
