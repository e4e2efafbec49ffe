//! The Typst world documents compile in. One `Base` is built per run and
//! shared by every document: the standard library, the fonts and the theme.
//! Each document gets a cheap `DocumentWorld` holding its main source and its
//! charts as virtual files. A document reads files of the project folder
//! only: paths are resolved inside the project root, and a path that leaves
//! it (`..`, a symbolic link pointing outside) is refused. There are no
//! packages and no network.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The font family of the built-in templates and charts (SIL OFL, embedded).
pub const FONT_FAMILY: &str = "Inter";

const EMBEDDED_FONTS: &[&[u8]] = &[
    include_bytes!("../../templates/fonts/Inter-Regular.otf"),
    include_bytes!("../../templates/fonts/Inter-Italic.otf"),
    include_bytes!("../../templates/fonts/Inter-SemiBold.otf"),
    include_bytes!("../../templates/fonts/Inter-Bold.otf"),
];

/// Virtual path of a document's main file.
const MAIN_PATH: &str = "/main.typ";
/// Virtual path the documents import the theme from.
pub const THEME_PATH: &str = "/theme.typ";

/// What all documents of a run share.
pub struct Base {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// The project folder, canonical; files outside it are refused.
    root: Option<PathBuf>,
    theme: Source,
    /// The project's brand as Typst variables (`/brand.typ`), which the theme imports.
    brand: Source,
    today: Datetime,
    main_id: FileId,
    theme_id: FileId,
}

/// A font file in the project's `fonts/` folder that could not be used.
#[derive(Debug)]
pub struct FontProblem {
    pub path: PathBuf,
    pub message: String,
}

impl Base {
    /// The shared base: embedded fonts plus the fonts of `fonts_dir`, the
    /// theme's text, `today` as every document's date, and the project folder
    /// documents may read from (`None`: no files at all).
    pub fn new(
        theme: &str,
        brand: &str,
        today: crate::model::Date,
        root: Option<&Path>,
        fonts_dir: Option<&Path>,
    ) -> (Base, Vec<FontProblem>) {
        let mut fonts: Vec<Font> =
            EMBEDDED_FONTS.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
        let mut problems = Vec::new();
        if let Some(dir) = fonts_dir.filter(|d| d.is_dir()) {
            let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| {
                    p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                        matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc" | "otc")
                    })
                })
                .collect();
            // Sorted, so fonts take the same indices in every run.
            paths.sort();
            for path in paths {
                match std::fs::read(&path) {
                    Ok(data) => {
                        let before = fonts.len();
                        fonts.extend(Font::iter(Bytes::new(data)));
                        if fonts.len() == before {
                            problems.push(FontProblem {
                                path,
                                message: "not a font Typst can read".into(),
                            });
                        }
                    }
                    Err(e) => problems.push(FontProblem { path, message: e.to_string() }),
                }
            }
        }
        let book = FontBook::from_fonts(&fonts);
        let (y, m, d) = today.ymd();
        let main_id = virtual_id(MAIN_PATH);
        let theme_id = virtual_id(THEME_PATH);
        let base = Base {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(book),
            fonts,
            root: root.and_then(|r| r.canonicalize().ok()),
            theme: Source::new(theme_id, theme.to_string()),
            brand: Source::new(virtual_id(super::brand::BRAND_PATH), brand.to_string()),
            today: Datetime::from_ymd(y, m as u8, d as u8).expect("a valid date"),
            main_id,
            theme_id,
        };
        (base, problems)
    }

    /// A world for one document: its markup and its virtual files.
    pub fn document<'a>(
        &'a self,
        markup: String,
        files: &[(String, Vec<u8>)],
    ) -> DocumentWorld<'a> {
        let files =
            files.iter().map(|(path, data)| (virtual_id(path), Bytes::new(data.clone()))).collect();
        DocumentWorld { base: self, main: Source::new(self.main_id, markup), files }
    }

    pub fn today(&self) -> Datetime {
        self.today
    }
}

/// The id of a virtual file. Ids are interned for the whole process and
/// limited in number, so documents reuse the same paths.
fn virtual_id(path: &str) -> FileId {
    let path = VirtualPath::new(path).expect("a valid virtual path");
    RootedPath::new(VirtualRoot::Project, path).intern()
}

/// One document's view of the world.
pub struct DocumentWorld<'a> {
    base: &'a Base,
    main: Source,
    files: HashMap<FileId, Bytes>,
}

impl DocumentWorld<'_> {
    /// The main source, for mapping errors back to the markup.
    pub fn main_source(&self) -> &Source {
        &self.main
    }

    /// Reads a project file, refusing any path that leaves the project folder.
    fn read_project_file(&self, id: FileId) -> FileResult<Vec<u8>> {
        let vpath = id.vpath();
        let shown = PathBuf::from(vpath.get_without_slash());
        let Some(root) = &self.base.root else {
            return Err(FileError::AccessDenied);
        };
        if matches!(id.root(), VirtualRoot::Package(_)) {
            return Err(FileError::Other(Some("packages are not available".into())));
        }
        let path = vpath.realize(root).map_err(|_| FileError::AccessDenied)?;
        let real = path.canonicalize().map_err(|e| FileError::from_io(e, &shown))?;
        if !real.starts_with(root) {
            return Err(FileError::AccessDenied);
        }
        std::fs::read(&real).map_err(|e| FileError::from_io(e, &shown))
    }
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.base.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.base.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.base.theme_id {
            Ok(self.base.theme.clone())
        } else if id == self.base.brand.id() {
            Ok(self.base.brand.clone())
        } else {
            let bytes = self.file(id)?;
            let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
            Ok(Source::new(id, text.to_string()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        for source in [&self.main, &self.base.theme, &self.base.brand] {
            if id == source.id() {
                return Ok(Bytes::from_string(source.clone()));
            }
        }
        self.read_project_file(id).map(Bytes::new)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.base.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.base.today)
    }
}
