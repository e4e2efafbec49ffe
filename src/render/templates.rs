//! The document templates: minijinja templates that produce Typst markup.
//! The defaults are compiled into the binary; a project's `templates/`
//! folder overrides any of them by file name and may add more (partials to
//! `include`). Every `{{ value }}` is escaped for Typst markup.

use super::escape;
use crate::diagnostic::Diagnostic;
use crate::locale::Locale;
use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State};
use std::path::{Path, PathBuf};

/// The built-in templates, by file name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("theme.typ", include_str!("../../templates/theme.typ")),
    ("account_plan.typ", include_str!("../../templates/account_plan.typ")),
    ("portfolio.typ", include_str!("../../templates/portfolio.typ")),
];

/// Steps a template may take, so that a runaway loop stops with an error.
const FUEL: u64 = 5_000_000;

/// One template: its name, where it came from and its text.
#[derive(Clone, Debug)]
pub struct TemplateFile {
    pub name: String,
    /// The project file it was read from; `None` for a built-in template.
    pub path: Option<PathBuf>,
    pub source: String,
}

impl TemplateFile {
    /// Where the template is, for messages: its path, or `built-in NAME`.
    pub fn origin(&self) -> String {
        match &self.path {
            Some(path) => path.display().to_string(),
            None => format!("built-in template {}", self.name),
        }
    }
}

/// The templates of a project: the built-ins with the project's overrides.
#[derive(Clone, Debug)]
pub struct TemplateSet {
    pub files: Vec<TemplateFile>,
}

impl TemplateSet {
    /// The built-in templates, overridden by the files of `dir` when given.
    pub fn load(dir: Option<&Path>) -> Result<TemplateSet, Box<Diagnostic>> {
        let mut files: Vec<TemplateFile> = BUILT_IN
            .iter()
            .map(|(name, source)| TemplateFile {
                name: name.to_string(),
                path: None,
                source: source.to_string(),
            })
            .collect();
        let Some(dir) = dir else { return Ok(TemplateSet { files }) };
        let mut entries: Vec<PathBuf> = walkdir::WalkDir::new(dir)
            .max_depth(1)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .filter(|p| p.extension().is_some_and(|e| e == "typ"))
            .collect();
        entries.sort();
        for path in entries {
            let source = std::fs::read_to_string(&path).map_err(|e| {
                Box::new(Diagnostic::error(&path, None, format!("cannot read: {e}")))
            })?;
            let name =
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let file = TemplateFile { name: name.clone(), path: Some(path), source };
            match files.iter_mut().find(|f| f.name == name) {
                Some(existing) => *existing = file,
                None => files.push(file),
            }
        }
        Ok(TemplateSet { files })
    }

    pub fn get(&self, name: &str) -> Option<&TemplateFile> {
        self.files.iter().find(|f| f.name == name)
    }

    /// The labels of the project's own templates (`t("…")` with a literal
    /// text) that have no translation in `locale`, each at its line. The
    /// built-in templates are complete, which a test checks.
    pub fn missing_translations(&self, locale: Locale) -> Vec<crate::config::Diagnostic> {
        let mut issues = Vec::new();
        for file in self.files.iter().filter(|f| f.path.is_some()) {
            for (line, col, text) in labels(&file.source) {
                if !locale.has(&text) {
                    issues.push(
                        crate::config::Diagnostic::error(
                            file.path.clone().unwrap_or_default(),
                            Some((line, col)),
                            format!(
                                "no {} translation of the label \"{text}\"; the documents show it in English",
                                locale.name()
                            ),
                        )
                        .warning(),
                    );
                }
            }
        }
        issues
    }

    /// The environment documents render in, and the templates left out of it
    /// because of a syntax error (each named with its file and line), so that
    /// documents using other templates can still be made.
    pub fn environment(
        &self,
        language: &Language,
    ) -> (Environment<'static>, Vec<(String, Diagnostic)>) {
        let mut env = Environment::new();
        env.set_fuel(Some(FUEL));
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".typ") {
                AutoEscape::Custom("typst".into())
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(format_value);
        add_filters(&mut env, language);
        let mut broken = Vec::new();
        for file in &self.files {
            // The theme is plain Typst, imported by the documents, not a template.
            if file.name == "theme.typ" {
                continue;
            }
            if let Err(e) = env.add_template_owned(file.name.clone(), file.source.clone()) {
                broken.push((file.name.clone(), self.error(&e)));
            }
        }
        (env, broken)
    }

    /// A minijinja error placed in its template file and line: the project's
    /// `templates/…` file, or `built-in template …`.
    pub fn error(&self, error: &Error) -> Diagnostic {
        let name = error.name().unwrap_or("template");
        let origin = self.get(name).map_or_else(|| name.to_string(), TemplateFile::origin);
        let mut message = match error.detail() {
            Some(detail) => format!("{}: {detail}", error.kind()),
            None => error.kind().to_string(),
        };
        // The template line, so "undefined value" shows which value.
        let line_text = self
            .get(name)
            .zip(error.line())
            .and_then(|(file, line)| file.source.lines().nth(line.checked_sub(1)?))
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let Some(text) = line_text {
            let shown: String = text.chars().take(100).collect();
            let ellipsis = if shown.len() < text.len() { "…" } else { "" };
            message.push_str(&format!(" in `{shown}{ellipsis}`"));
        }
        // Column 0: the template line as a whole is at fault.
        Diagnostic::error(origin, error.line().map(|line| (line, 0)), message)
    }
}

/// The literal texts a template passes to `t`: `t("…")` or `t('…')`, with
/// their line and column (1-based).
pub fn labels(source: &str) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    for (i, line) in source.lines().enumerate() {
        let mut rest = line;
        let mut offset = 0;
        while let Some(at) = rest.find("t(") {
            let before = rest[..at].chars().next_back();
            let start = at + 2;
            let quote = rest[start..].chars().next();
            // `t(` as a word of its own, followed by a quoted text.
            if before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'))
                && let Some(q @ ('"' | '\'')) = quote
                && let Some(len) = rest[start + 1..].find(q)
            {
                let text = &rest[start + 1..start + 1 + len];
                let col = line[..offset + at].chars().count() + 1;
                found.push((i + 1, col, text.to_string()));
            }
            offset += start;
            rest = &rest[start..];
        }
    }
    found
}

/// Prints a value into the document: escaped for Typst markup unless marked
/// safe, and `none` as nothing.
fn format_value(
    out: &mut minijinja::Output,
    state: &mut State,
    value: &Value,
) -> Result<(), Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(());
    }
    match state.auto_escape() {
        // Numbers print as they are: they hold no markup, and they must stay
        // numbers when a template passes them to a Typst function.
        AutoEscape::Custom(name)
            if name == "typst"
                && !value.is_safe()
                && value.kind() != minijinja::value::ValueKind::Number =>
        {
            let text = match value.as_str() {
                Some(s) => escape::markup(s),
                None => escape::markup(&value.to_string()),
            };
            out.write_str(&text).map_err(|_| Error::new(ErrorKind::WriteFailure, "cannot write"))
        }
        _ => {
            let text = value.to_string();
            out.write_str(&text).map_err(|_| Error::new(ErrorKind::WriteFailure, "cannot write"))
        }
    }
}

/// The language documents are written in, and the currency their money is in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Language {
    pub locale: Locale,
    /// ISO code, e.g. `EUR`.
    pub currency: String,
}

/// The filters templates format with, in the documents' language, and the
/// translation function `t`. Each filter prints nothing for a missing value.
fn add_filters(env: &mut Environment<'static>, language: &Language) {
    let l = language.locale;
    // `{{ t("Revenue") }}`, `{{ t("{n} of {total}", n=3, total=4) }}`: the
    // text in the documents' language, placeholders filled after translation.
    env.add_function("t", move |text: String, kwargs: Kwargs| -> Result<String, Error> {
        let mut values = Vec::new();
        for name in kwargs.args() {
            let value: Value = kwargs.get(name)?;
            let shown = if value.is_none() || value.is_undefined() {
                String::new()
            } else {
                value.to_string()
            };
            values.push((name.to_string(), shown));
        }
        Ok(crate::locale::fill(l.text(&text), |name| {
            values.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone().into())
        }))
    });
    crate::locale::filters::add(env, l, &language.currency);
    env.add_filter("typst_str", |value: Value| -> Value {
        let text =
            if value.is_none() || value.is_undefined() { String::new() } else { value.to_string() };
        Value::from_safe_string(escape::string_literal(&text))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, context: Value) -> String {
        let mut set = TemplateSet::load(None).unwrap();
        set.files.push(TemplateFile { name: "t.typ".into(), path: None, source: template.into() });
        let (env, broken) = set.environment(&Language::default());
        assert!(broken.is_empty());
        env.get_template("t.typ").unwrap().render(context).unwrap()
    }

    #[test]
    fn values_are_escaped_for_typst() {
        let name = "Rossi & Figli #1 *best* $50 @home <b> \\n";
        let out = render("= {{ name }}", minijinja::context! { name });
        assert_eq!(out, r"= Rossi & Figli \#1 \*best\* \$50 \@home \<b\> \\n");
    }

    #[test]
    fn string_literals_have_their_own_filter() {
        let out = render(
            "#set document(title: \"{{ t | typst_str }}\")",
            minijinja::context! { t => "a \"b\" \\" },
        );
        assert_eq!(out, r#"#set document(title: "a \"b\" \\")"#);
    }

    #[test]
    fn filters_format_figures_and_skip_missing_values() {
        let out = render(
            "{{ a | amount }}|{{ b | pct }}|{{ c | change }}|{{ none | money }}|{{ d | figure('money', short=true) }}",
            minijinja::context! { a => -1234.6, b => 0.1234, c => 0.05, d => 2_500_000.0 },
        );
        assert_eq!(out, "\u{2212}1,235|12\\.3%|\\+5\\.0%||2\\.50M");
    }

    fn render_in(locale: Locale, template: &str, context: Value) -> String {
        let mut set = TemplateSet::load(None).unwrap();
        set.files.push(TemplateFile { name: "t.typ".into(), path: None, source: template.into() });
        let language = Language { locale, currency: "EUR".into() };
        let (env, _) = set.environment(&language);
        env.get_template("t.typ").unwrap().render(context).unwrap()
    }

    #[test]
    fn filters_and_labels_follow_the_language() {
        let template = "{{ t('Revenue') }}|{{ a | amount }}|{{ a | money(2) }}|{{ b | pct }}|{{ d | date }}|{{ d | date('month') }}|{{ t('{n} days', n=c | num) }}";
        let context =
            minijinja::context! { a => -1234567.891, b => 0.1234, c => 1234, d => "2025-06-30" };
        assert_eq!(
            render_in(Locale::En, template, context.clone()),
            "Revenue|\u{2212}1,234,568|\u{2212}€1,234,567\\.89|12\\.3%|30 June 2025|June 2025|1,234 days"
        );
        assert_eq!(
            render_in(Locale::It, template, context),
            "Fatturato|\u{2212}1\\.234\\.568|\u{2212}1\\.234\\.567,89\u{a0}€|12,3%|30 giugno 2025|giugno 2025|1\\.234 giorni"
        );
    }

    #[test]
    fn a_syntax_error_names_the_file_and_line() {
        let mut set = TemplateSet::load(None).unwrap();
        set.files.push(TemplateFile {
            name: "bad.typ".into(),
            path: Some("templates/bad.typ".into()),
            source: "ok\n{% if %}".into(),
        });
        let (env, broken) = set.environment(&Language::default());
        assert_eq!(broken.len(), 1);
        assert_eq!(broken[0].1.file, Path::new("templates/bad.typ"));
        assert_eq!(broken[0].1.position, Some((2, 0)));
        assert!(env.get_template("account_plan.typ").is_ok(), "the other templates are usable");
    }
}
