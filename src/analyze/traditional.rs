//! Traditional Chinese: telling the script apart and converting to Simplified.
//!
//! Taiwan, Hong Kong and Macau texts are converted to Simplified before they are
//! segmented, so that they can be compared with Simplified corpora. Two steps:
//! 1. the script, character by character and with OpenCC's Traditional-to-Simplified
//!    phrase tables (`tw2s`, via the pure-Rust ferrous-opencc): 數據 -> 数据;
//! 2. Taiwan vocabulary, with a curated table (`pipelines/taiwan-vocabulary.toml`),
//!    longest match first: 人工智慧 -> 人工智能, 數位 -> 数字, 資訊 -> 信息,
//!    軟體 -> 软件. OpenCC's own Taiwan phrase table (`tw2sp`) is not used: it maps
//!    everyday words as IT terms (核心 -> 内核, 建立 -> 创建).
//!
//! Conversion can change length (使用者 -> 用户), so every converted character keeps
//! the range of original characters it came from: tokens still point at the
//! Traditional surface in the document.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use aho_corasick::{AhoCorasick, MatchKind};
use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use serde::Deserialize;

use crate::lexicon::hex_sha256;

/// The Taiwan vocabulary shipped with govlens.
pub const DEFAULT_VOCABULARY: &str = include_str!("../../pipelines/taiwan-vocabulary.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    vocabulary: BTreeMap<String, String>,
}

/// Converts Traditional (Taiwan) text to Simplified and detects the script.
pub struct TraditionalConverter {
    to_simplified: OpenCC,
    to_traditional: OpenCC,
    /// Taiwan words (in Simplified script) and their mainland equivalents.
    vocabulary: AhoCorasick,
    replacements: Vec<String>,
    vocabulary_sha256: String,
    /// Single-character conversions, for re-aligning length-changing phrases.
    singles: Mutex<HashMap<char, String>>,
}

/// Converted text and, for each of its characters, the range of input characters
/// (first, last; inclusive) it came from.
pub struct Converted {
    pub text: String,
    pub source: Vec<(usize, usize)>,
}

impl TraditionalConverter {
    /// The converter with the built-in Taiwan vocabulary.
    pub fn new() -> Self {
        Self::with_vocabulary(DEFAULT_VOCABULARY).expect("the built-in vocabulary is valid")
    }

    /// The converter with a vocabulary given as TOML text (`[vocabulary]` table).
    pub fn with_vocabulary(toml_text: &str) -> Result<Self, String> {
        let file: VocabularyFile =
            toml::from_str(toml_text).map_err(|e| e.message().to_string())?;
        let to_simplified =
            OpenCC::from_config(BuiltinConfig::Tw2s).expect("the built-in tw2s tables load");
        let to_traditional =
            OpenCC::from_config(BuiltinConfig::S2t).expect("the built-in s2t tables load");
        let (mut keys, mut replacements) = (Vec::new(), Vec::new());
        for (taiwan, mainland) in &file.vocabulary {
            if taiwan.is_empty() || mainland.is_empty() {
                return Err(format!("empty entry {taiwan:?} = {mainland:?}"));
            }
            keys.push(to_simplified.convert(taiwan));
            replacements.push(mainland.clone());
        }
        let vocabulary = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&keys)
            .map_err(|e| e.to_string())?;
        Ok(TraditionalConverter {
            to_simplified,
            to_traditional,
            vocabulary,
            replacements,
            vocabulary_sha256: hex_sha256(toml_text.as_bytes()),
            singles: Mutex::new(HashMap::new()),
        })
    }

    /// SHA-256 of the vocabulary's TOML text, for `run.json`.
    pub fn vocabulary_sha256(&self) -> &str {
        &self.vocabulary_sha256
    }

    /// `Hant` when the text reads as Traditional, else `Hans`: whichever script
    /// conversion *away from* changes more characters of (a sample of) the text.
    pub fn detect_script(&self, text: &str) -> &'static str {
        let sample: String = text
            .chars()
            .filter(|&c| crate::analyze::script::is_han(c))
            .take(20_000)
            .collect();
        let changed = |converted: String| {
            let a: Vec<char> = sample.chars().collect();
            let b: Vec<char> = converted.chars().collect();
            a.iter().zip(&b).filter(|(x, y)| x != y).count() + a.len().abs_diff(b.len())
        };
        let as_traditional = changed(self.to_simplified.convert(&sample));
        let as_simplified = changed(self.to_traditional.convert(&sample));
        if as_traditional > as_simplified {
            "Hant"
        } else {
            "Hans"
        }
    }

    /// Converts `text` (Han characters) to Simplified with mainland vocabulary,
    /// keeping the alignment to the input characters.
    pub fn convert(&self, text: &str) -> Converted {
        let script = self.convert_script(text);
        let words = self.convert_vocabulary(&script.text);
        Converted {
            text: words.text,
            source: words
                .source
                .iter()
                .map(|&(a, b)| (script.source[a].0, script.source[b].1))
                .collect(),
        }
    }

    fn convert_script(&self, text: &str) -> Converted {
        let converted = self.to_simplified.convert(text);
        let input: Vec<char> = text.chars().collect();
        let output: Vec<char> = converted.chars().collect();
        let source = if input.len() == output.len() {
            (0..output.len()).map(|i| (i, i)).collect()
        } else {
            self.realign(&input, &output)
        };
        Converted {
            text: converted,
            source,
        }
    }

    fn convert_vocabulary(&self, text: &str) -> Converted {
        let mut out = String::with_capacity(text.len());
        let mut source = Vec::with_capacity(text.len() / 3);
        let mut char_index = 0;
        let mut last = 0;
        for m in self.vocabulary.find_iter(text) {
            for _ in text[last..m.start()].chars() {
                source.push((char_index, char_index));
                char_index += 1;
            }
            out.push_str(&text[last..m.start()]);
            let n_in = text[m.start()..m.end()].chars().count();
            let replacement = &self.replacements[m.pattern().as_usize()];
            for _ in replacement.chars() {
                source.push((char_index, char_index + n_in - 1));
            }
            out.push_str(replacement);
            char_index += n_in;
            last = m.end();
        }
        for _ in text[last..].chars() {
            source.push((char_index, char_index));
            char_index += 1;
        }
        out.push_str(&text[last..]);
        Converted { text: out, source }
    }

    fn single(&self, c: char) -> String {
        let mut cache = self.singles.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(c)
            .or_insert_with(|| self.to_simplified.convert(c.encode_utf8(&mut [0; 4])))
            .clone()
    }

    /// Aligns input and output characters when a phrase changed length: walk both,
    /// matching character by character; where they differ, find the nearest point
    /// where they agree again and map the block in between as a whole.
    fn realign(&self, input: &[char], output: &[char]) -> Vec<(usize, usize)> {
        let agrees = |i: usize, j: usize| -> bool {
            let mut buf = [0u8; 4];
            i < input.len()
                && j < output.len()
                && self.single(input[i]) == output[j].encode_utf8(&mut buf) as &str
        };
        let mut source = Vec::with_capacity(output.len());
        let (mut i, mut j) = (0usize, 0usize);
        while j < output.len() {
            if i >= input.len() {
                let last = input.len().saturating_sub(1);
                source.push((last, last));
                j += 1;
                continue;
            }
            if agrees(i, j) {
                source.push((i, i));
                i += 1;
                j += 1;
                continue;
            }
            // Smallest block (di input chars, dj output chars) after which the two
            // agree for three characters (or both end).
            let resync = (2..=16).find_map(|total| {
                (1..total).find_map(|di| {
                    let dj = total - di;
                    let ends = i + di == input.len() && j + dj == output.len();
                    let agree = (0..3).all(|k| {
                        (i + di + k >= input.len() && j + dj + k >= output.len())
                            || agrees(i + di + k, j + dj + k)
                    });
                    (ends || agree).then_some((di, dj))
                })
            });
            let (di, dj) = resync.unwrap_or((input.len() - i, output.len() - j));
            let di = di.max(1);
            for _ in 0..dj {
                source.push((i, (i + di - 1).min(input.len() - 1)));
            }
            i += di;
            j += dj;
        }
        source
    }
}

impl Default for TraditionalConverter {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static CONVERTER: LazyLock<TraditionalConverter> = LazyLock::new(TraditionalConverter::new);

    #[test]
    fn taiwan_vocabulary_becomes_mainland() {
        let cases = [
            ("人工智慧", "人工智能"),
            ("數位", "数字"),
            ("資訊", "信息"),
            ("軟體", "软件"),
            ("可信賴", "可信赖"),
            ("以人為本", "以人为本"),
            ("法治", "法治"),
            ("應用程式", "应用程序"),
            ("使用者", "用户"),
            // Everyday words keep their meaning (OpenCC's tw2sp would not).
            ("核心價值", "核心价值"),
            ("建立健全", "建立健全"),
        ];
        for (hant, hans) in cases {
            assert_eq!(CONVERTER.convert(hant).text, hans, "{hant}");
        }
    }

    #[test]
    fn alignment_covers_every_output_character_in_order() {
        let cases = [
            ("使用者資料", vec![(0, 2), (0, 2), (3, 4), (3, 4)]),
            ("人工智慧", vec![(0, 3), (0, 3), (0, 3), (0, 3)]),
            ("法治", vec![(0, 0), (1, 1)]),
        ];
        for (text, want) in cases {
            assert_eq!(CONVERTER.convert(text).source, want, "{text}");
        }
        for text in ["網際網路與使用者", "個人資料保護", "數位平權"] {
            let c = CONVERTER.convert(text);
            let n_in = text.chars().count();
            assert_eq!(c.source.len(), c.text.chars().count(), "{text}");
            assert!(c.source.windows(2).all(|w| w[0].0 <= w[1].0), "{text}");
            assert!(c.source.iter().all(|&(a, b)| a <= b && b < n_in), "{text}");
        }
    }

    #[test]
    fn detects_the_script() {
        assert_eq!(
            CONVERTER.detect_script("人工智慧基本法：促進數位平權與資訊安全"),
            "Hant"
        );
        assert_eq!(
            CONVERTER.detect_script("人工智能基本法：促进数字平权与信息安全"),
            "Hans"
        );
        assert_eq!(
            CONVERTER.detect_script("使用者应当建立健全核心制度"),
            "Hans"
        );
        assert_eq!(CONVERTER.detect_script("法治"), "Hans");
    }

    #[test]
    fn bad_vocabulary_is_refused() {
        assert!(TraditionalConverter::with_vocabulary("[vocabulary]\n\"a\" = \"\"\n").is_err());
        assert!(TraditionalConverter::with_vocabulary("[vocab]\n").is_err());
    }
}
