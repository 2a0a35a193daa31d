//! One document, start to finish: the per-document pass.
//!
//! Every command that looks at documents goes through here, so they all see the
//! same thing and fail the same way: `run` (in parallel, batch by batch), `kwic`,
//! `audit` and `segment`. The pass is
//!
//! 1. [`read`]: the file's bytes (refused over the size limit), its checksum, the
//!    decoded and extracted text ([`crate::corpus::read`]), then its language (the
//!    manifest's, or detected) and its script (Traditional Chinese is converted);
//! 2. [`analyse`]: the text segmented, its frame hits decided (matched against
//!    the lexicon and audited, in one place: [`Engine::decide`]), and counted
//!    ([`counts`]); the analyses beyond terms and frames are components the count
//!    calls ([`analysis`]: collocates, TextRank keywords, n-grams).
//!
//! The analyzer, matcher and auditor a pass uses are built from the lexicon in
//! one place, [`Engine`], and every command takes its [`Pass`] from one.
//!
//! A document that cannot be read is a [`Skipped`] with its reason, never a silent
//! gap: `run` writes it to `errors.parquet`, the other commands print it as `run`
//! does, and all of them end with exit status 3.

pub mod analysis;
pub mod collocates;
pub mod counts;
pub mod engine;
pub mod structure;
pub mod ngrams;
pub mod textrank;

pub use counts::{
    ContextOptions, DocCounts, FrameCount, KwicHit, Terms, count_document, count_document_in,
};
pub use engine::{Decided, Engine};

use std::path::Path;

use crate::analyze::{Analyzer, ChineseScript, Lang};
use crate::corpus::formats::Format;
use crate::corpus::read::{DocProblem, Loaded, from_bytes, load};
use crate::corpus::{Corpus, DocSpec};
use crate::digest::hex_sha256;
use crate::document::structure::CountedZones;
use crate::lexicon::{Auditor, Matcher};

/// What the pass needs, built once per run and shared by all threads; taken
/// from an [`Engine`].
pub struct Pass<'a> {
    pub analyzer: &'a Analyzer,
    pub matcher: &'a Matcher,
    pub auditor: &'a Auditor,
    pub context: ContextOptions,
    /// Files larger than this are refused before they are read.
    pub max_file_bytes: u64,
    /// The zones whose tokens count (by default not tables of contents,
    /// reference lists and notes).
    pub counted_zones: CountedZones,
    /// Count the frame hits inside names of bodies, laws and programmes (by
    /// default they are set aside: reason `name` in the audit).
    pub count_names: bool,
}

/// A document's text, with the facts about its file, its language and its script.
#[derive(Debug, Clone)]
pub struct ReadDoc {
    pub loaded: Loaded,
    pub lang: Lang,
    /// ISO 15924 code: the manifest's, else `Hans`/`Hant` detected, or `Latn`.
    pub script: String,
    /// Whether the Chinese text is converted from Traditional before segmenting.
    pub chinese: ChineseScript,
}

impl ReadDoc {
    pub fn text(&self) -> &str {
        &self.loaded.text
    }
}

/// A document read and counted.
#[derive(Debug, Clone)]
pub struct Analysed {
    pub read: ReadDoc,
    pub counts: DocCounts,
}

/// A document left out, and why: a row of `errors.parquet`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub doc_id: String,
    pub path: String,
    /// The [`ProblemKind`](crate::corpus::read::ProblemKind) as a table value.
    pub kind: &'static str,
    pub message: String,
}

impl Skipped {
    pub fn new(doc: &DocSpec, problem: DocProblem) -> Skipped {
        Skipped {
            doc_id: doc.doc_id.clone(),
            path: doc.file.clone(),
            kind: problem.kind.as_str(),
            message: problem.message,
        }
    }
}

/// Reads `doc` (refusing files over `max_file_bytes`) and decides its language
/// and script: the one place that does, for every command.
pub fn read(
    doc: &DocSpec,
    analyzer: &Analyzer,
    max_file_bytes: u64,
) -> Result<ReadDoc, DocProblem> {
    let loaded = load(doc, max_file_bytes)?;
    Ok(decide_script(
        loaded,
        doc.lang,
        doc.script.as_deref(),
        analyzer,
    ))
}

/// Reads a file named on the command line (`segment`) as a document of its own,
/// with the limit and the problems of a corpus document.
pub fn read_file(
    path: &Path,
    analyzer: &Analyzer,
    max_file_bytes: u64,
) -> Result<ReadDoc, Skipped> {
    let doc = DocSpec::for_file(path);
    read(&doc, analyzer, max_file_bytes).map_err(|p| Skipped::new(&doc, p))
}

/// Reads a plain text given as bytes (standard input) as a document.
pub fn read_bytes(bytes: &[u8], analyzer: &Analyzer) -> Result<ReadDoc, Skipped> {
    let stdin = DocSpec::for_file(Path::new("-"));
    let e = from_bytes(bytes, None, Format::Text).map_err(|p| Skipped::new(&stdin, p))?;
    let loaded = e.loaded(hex_sha256(bytes), bytes);
    Ok(decide_script(loaded, None, None, analyzer))
}

/// The language (`declared`, else detected) and script of a loaded text.
pub fn decide_script(
    loaded: Loaded,
    declared_lang: Option<Lang>,
    declared_script: Option<&str>,
    analyzer: &Analyzer,
) -> ReadDoc {
    let lang = declared_lang.unwrap_or_else(|| Lang::detect(&loaded.text));
    let (script, chinese) = analyzer.document_script(&loaded.text, lang, declared_script);
    ReadDoc {
        loaded,
        lang,
        script,
        chinese,
    }
}

/// Reads, segments and counts one document.
pub fn analyse(doc: &DocSpec, pass: &Pass<'_>) -> Result<Analysed, DocProblem> {
    let read = read(doc, pass.analyzer, pass.max_file_bytes)?;
    let counts = count_document_in(read.text(), &read.loaded.layout, read.chinese, pass);
    Ok(Analysed { read, counts })
}

/// Analyses every document of `corpus` in doc_id order, one after another,
/// handing each to `each`; returns the documents that could not be read.
pub fn each(
    corpus: &Corpus,
    pass: &Pass<'_>,
    mut each: impl FnMut(&DocSpec, &Analysed),
) -> Vec<Skipped> {
    let mut skipped = Vec::new();
    for doc in &corpus.docs {
        match analyse(doc, pass) {
            Ok(a) => each(doc, &a),
            Err(problem) => skipped.push(Skipped::new(doc, problem)),
        }
    }
    skipped
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::analyze::ChineseScript;
    use crate::analyze::proptests::check_spans;
    use crate::corpus::formats::Format;
    use crate::corpus::read::from_bytes;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn reading_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            for format in [Format::Text, Format::Markdown, Format::Html, Format::Docx, Format::Odt] {
                if let Ok(e) = from_bytes(&bytes, None, format) {
                    check_spans(&e.text, ChineseScript::Simplified);
                }
            }
        }
    }
}
