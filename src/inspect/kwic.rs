//! `govlens kwic`: a concordance of any word or phrase, in any corpus, aligned on
//! the match for a terminal.

use super::Findings;
use crate::analyze::{Analyzer, join_terms};
use crate::config::Plan;
use crate::corpus::Corpus;
use crate::document::{self, Engine};
use crate::error::Result;
use crate::lexicon::Lexicon;

/// One concordance line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub doc_id: String,
    pub unit: String,
    /// The page of a paged document (PDF).
    pub page: Option<u32>,
    pub left: String,
    pub matched: String,
    pub right: String,
}

/// Every occurrence of `term` (a word, a phrase or a `*` wildcard, as in the lexicon)
/// in the corpus, with `window` tokens of context as the documents show it; files
/// over `max_file_bytes` are refused, as `run` refuses them.
pub fn concordance(
    corpus: &Corpus,
    term: &str,
    window: usize,
    lexicon: &Lexicon,
    plan: &Plan,
) -> Result<Findings<Vec<Line>>> {
    use crate::analyze::ChineseScript;
    let han = term.chars().any(crate::analyze::script::is_han);
    // The segmenter knows the lexicon and the query. Documents are counted in
    // Simplified, so a Traditional query is converted first and the segmenter
    // rebuilt to know the converted query: only that case builds two.
    let one_han_word = |t: &str| {
        let t = t.trim();
        t.chars()
            .all(crate::analyze::script::is_han)
            .then(|| t.to_string())
    };
    let mut words = lexicon.chinese_words();
    let n_lexicon = words.len();
    words.extend(one_han_word(term));
    let mut analyzer = Analyzer::new(&words);
    let simplified;
    let converted = han && analyzer.traditional().detect_script(term) == "Hant";
    let term = if converted {
        let mut tokens = Vec::new();
        analyzer.tokenize(
            term,
            (0, term.len()),
            ChineseScript::Traditional,
            &mut tokens,
        );
        simplified = join_terms(&tokens);
        simplified.as_str()
    } else {
        term
    };
    let query = crate::lexicon::Frame {
        id: "query".into(),
        label: term.into(),
        description: String::new(),
        zh: if han {
            vec![term.to_string()]
        } else {
            Vec::new()
        },
        en: if han {
            Vec::new()
        } else {
            vec![term.to_string()]
        },
        exclude: Vec::new(),
    };
    let query = Lexicon {
        frames: vec![query],
        exclude: Vec::new(),
        source: "query".into(),
        sha256: String::new(),
        format: crate::lexicon::Format::Toml,
        names: Default::default(),
    };
    if converted {
        words.truncate(n_lexicon);
        words.extend(one_han_word(term));
        analyzer = Analyzer::new(&words);
    }
    let engine = Engine::with_analyzer(analyzer, &query)?;
    let limits = (plan.max_file_bytes, plan.counted_zones);
    let pass = engine
        .inspection_pass(window, limits)
        .counting_names(plan.count_names);
    let mut lines = Vec::new();
    let skipped = document::each(corpus, &pass, |doc, a| {
        let (text, counts) = (a.read.text(), &a.counts);
        for hit in &counts.kwic {
            lines.push(Line {
                doc_id: doc.doc_id.clone(),
                unit: counts.units[hit.unit].label.clone(),
                page: counts.units[hit.unit].page,
                left: hit.at.left(text).into_owned(),
                matched: hit.at.matched(text).to_string(),
                right: hit.at.right(text).into_owned(),
            });
        }
    });
    Ok(Findings {
        found: lines,
        skipped,
    })
}
