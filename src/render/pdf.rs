//! One document from view model to PDF bytes: the template renders Typst
//! markup, the charts become SVG files, Typst lays the pages out and the PDF
//! is exported with a fixed date and identifier, so reruns give the same
//! bytes. Errors name the template file and line they come from.

use super::Document;
use super::templates::TemplateSet;
use super::world::Base;
use crate::diagnostic::Diagnostic;
use minijinja::Environment;
use typst::diag::SourceDiagnostic;
use typst::foundations::Smart;
use typst::{World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// The PDF flavours `--pdf-standard` offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Standard {
    /// Plain PDF 1.7, tagged.
    #[default]
    Plain,
    /// PDF/A-2b, for archiving.
    A2b,
}

/// Everything needed to turn documents into PDFs, shared by the workers.
pub struct Renderer {
    pub base: Base,
    pub templates: TemplateSet,
    pub env: Environment<'static>,
    /// Templates with a syntax error, and the error.
    pub broken: Vec<(String, Diagnostic)>,
    pub standard: Standard,
    /// The brand's chart colours.
    pub palette: super::brand::Palette,
}

impl Renderer {
    /// The renderer of a project: its `templates/` over the built-ins, its
    /// `fonts/` beside the embedded family, its folder as the only place
    /// documents read files from, and `as_of` as every document's date.
    /// Returns the font files that could not be used beside it.
    pub fn for_project(
        root: &std::path::Path,
        as_of: crate::model::Date,
        standard: Standard,
        brand: &crate::config::brand::Brand,
        language: &super::templates::Language,
    ) -> Result<(Renderer, Vec<super::world::FontProblem>), Box<Diagnostic>> {
        let templates_dir = Some(root.join("templates")).filter(|d| d.is_dir());
        let templates = TemplateSet::load(templates_dir.as_deref())?;
        let (env, broken) = templates.environment(language);
        let theme = templates.get("theme.typ").map(|t| t.source.clone()).unwrap_or_default();
        let brand_file = super::brand::brand_source(brand);
        let fonts = root.join("fonts");
        let (base, font_problems) = Base::new(&theme, &brand_file, as_of, Some(root), Some(&fonts));
        let palette = super::brand::Palette::new(brand);
        Ok((Renderer { base, templates, env, broken, standard, palette }, font_problems))
    }

    /// The Typst markup of a document.
    pub fn markup(&self, document: &Document) -> Result<String, Box<Diagnostic>> {
        if let Some((_, e)) = self.broken.iter().find(|(name, _)| name == document.template) {
            return Err(Box::new(e.clone()));
        }
        let template =
            self.env.get_template(document.template).map_err(|e| self.template_error(&e))?;
        template.render(&document.context).map_err(|e| {
            // An included template that was left out for a syntax error shows
            // up as "not found": report its syntax error instead.
            let missing = (e.kind() == minijinja::ErrorKind::TemplateNotFound)
                .then(|| e.detail().unwrap_or_default())
                .and_then(|detail| {
                    self.broken.iter().find(|(name, _)| detail.contains(&format!("'{name}'")))
                });
            match missing {
                Some((_, broken)) => Box::new(broken.clone()),
                None => self.template_error(&e),
            }
        })
    }

    fn template_error(&self, error: &minijinja::Error) -> Box<Diagnostic> {
        Box::new(self.templates.error(error))
    }

    /// The PDF of a document.
    pub fn pdf(&self, document: &Document) -> Result<Vec<u8>, Box<Diagnostic>> {
        let markup = self.markup(document)?;
        let files: Vec<(String, Vec<u8>)> = document
            .charts
            .iter()
            .map(|(path, chart)| (path.clone(), self.palette.apply(chart.svg()).into_bytes()))
            .collect();
        let world = self.base.document(markup, &files);
        let compiled = typst::compile::<PagedDocument>(&world).output;
        let paged = compiled.map_err(|errors| self.typst_error(&world, document, &errors))?;
        let standards = match self.standard {
            Standard::Plain => PdfStandards::default(),
            Standard::A2b => PdfStandards::new(&[PdfStandard::A_2b])
                .map_err(|e| Box::new(Diagnostic::plain(e.message().to_string())))?,
        };
        let options = PdfOptions {
            ident: Smart::Custom(document.ident.clone()),
            creator: Smart::Custom(Some(format!("kamplan {}", env!("CARGO_PKG_VERSION")))),
            timestamp: Some(Timestamp::new_utc(self.base.today())),
            standards,
            tagged: true,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&paged, &options)
            .map_err(|errors| self.typst_error(&world, document, &errors))
    }

    /// The first error of a Typst run, placed in the template that produced
    /// the markup when the offending text can be found there.
    fn typst_error(
        &self,
        world: &super::world::DocumentWorld<'_>,
        document: &Document,
        errors: &[SourceDiagnostic],
    ) -> Box<Diagnostic> {
        let Some(first) = errors.first() else {
            return Box::new(Diagnostic::plain("Typst failed without a message"));
        };
        let mut message = first.message.to_string();
        for hint in &first.hints {
            // Typst's hints speak of its own command line; say what holds here.
            let text = if hint.v.contains("--root") {
                "documents read files inside the project folder only".to_string()
            } else {
                hint.v.to_string()
            };
            message.push_str(&format!(" (hint: {text})"));
        }
        let id = first.span.id();
        let range = world.range(first.span);
        // The template file and line the error comes from, when known.
        let (file, line) = match (id, range) {
            (Some(id), Some(range)) if id == world.main_source().id() => {
                let markup = world.main_source().text();
                let snippet = markup.get(range.clone()).unwrap_or_default();
                let template = self.templates.get(document.template);
                match template
                    .and_then(|t| line_containing(&t.source, snippet).map(|line| (t, line)))
                {
                    Some((t, line)) => (t.origin(), Some(line)),
                    None => {
                        let line = world
                            .main_source()
                            .lines()
                            .byte_to_line(range.start)
                            .map_or(0, |l| l + 1);
                        message.push_str(&format!(
                            " (in the markup {} made, line {line}: `{}`)",
                            document.template,
                            snippet.trim()
                        ));
                        let origin = self.templates.get(document.template).map(|t| t.origin());
                        (origin.unwrap_or_default(), None)
                    }
                }
            }
            (Some(id), Some(range)) => {
                let source = world.source(id).ok();
                let line = source
                    .as_ref()
                    .and_then(|s| s.lines().byte_to_line(range.start))
                    .map_or(0, |l| l + 1);
                let path = id.vpath().get_without_slash().to_string();
                let origin = match self.templates.get(&path) {
                    Some(t) if path == "theme.typ" => t.origin(),
                    _ => path,
                };
                (origin, Some(line))
            }
            _ => (String::new(), None),
        };
        // Column 0: the template line as a whole is at fault.
        Box::new(Diagnostic::error(file, line.map(|line| (line, 0)), message))
    }
}

/// The 1-based line of `source` holding `snippet`, when exactly one does.
fn line_containing(source: &str, snippet: &str) -> Option<usize> {
    let snippet = snippet.lines().next()?.trim();
    if snippet.is_empty() {
        return None;
    }
    let mut found = source.lines().enumerate().filter(|(_, line)| line.contains(snippet));
    let first = found.next()?;
    found.next().is_none().then_some(first.0 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_is_placed_only_when_unambiguous() {
        let source = "= Title\n#bad-call(1)\ntext\n#other()\n#other()\n";
        assert_eq!(line_containing(source, "bad-call"), Some(2));
        assert_eq!(line_containing(source, "other"), None);
        assert_eq!(line_containing(source, "missing"), None);
        assert_eq!(line_containing(source, "  "), None);
    }
}
