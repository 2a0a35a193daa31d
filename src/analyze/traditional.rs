//! Traditional Chinese: telling the script apart and converting to Simplified.
//!
//! Taiwan, Hong Kong and Macau texts are converted to Simplified before they are
//! segmented, so that they can be compared with Simplified corpora. Two steps:
//! 1. the script, character by character and with OpenCC's Traditional-to-Simplified
//!    phrase tables (`tw2s`, via the pure-Rust ferrous-opencc): 數據 -> 数据;
//! 2. Taiwan vocabulary, with a curated table (`pipelines/taiwan-vocabulary.toml`),
//!    applied to whole *words* after segmentation (the table's words are in the
//!    segmenter's dictionary): 人工智慧 -> 人工智能, 數位 -> 数字, 資訊 -> 信息,
//!    軟體 -> 软件. Replacing substrings instead would mangle 投資安全 (投资/安全,
//!    not 投/资安/全). OpenCC's own Taiwan phrase table (`tw2sp`) is not used: it
//!    maps everyday words as IT terms (核心 -> 内核, 建立 -> 创建).
//!
//! Script conversion can change length, so every converted character keeps the
//! range of original characters it came from: tokens still point at the
//! Traditional surface in the document.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use serde::Deserialize;

use crate::digest::hex_sha256;

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
    vocabulary: HashMap<String, String>,
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
        let mut vocabulary = HashMap::new();
        for (taiwan, mainland) in &file.vocabulary {
            if taiwan.is_empty() || mainland.is_empty() {
                return Err(format!("empty entry {taiwan:?} = {mainland:?}"));
            }
            vocabulary.insert(to_simplified.convert(taiwan), mainland.clone());
        }
        Ok(TraditionalConverter {
            to_simplified,
            to_traditional,
            vocabulary,
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

    /// The Taiwan words of the vocabulary, in Simplified script: the segmenter must
    /// know them to keep them whole.
    pub fn vocabulary_words(&self) -> Vec<String> {
        let mut words: Vec<String> = self.vocabulary.keys().cloned().collect();
        words.sort();
        words
    }

    /// The mainland word for a (Simplified-script) Taiwan word, if the vocabulary
    /// has one.
    pub fn mainland(&self, word: &str) -> Option<&str> {
        self.vocabulary.get(word).map(String::as_str)
    }

    /// Converts the script of `text` (Han characters) to Simplified, keeping the
    /// alignment to the input characters. Vocabulary is applied per word, later.
    pub fn convert(&self, text: &str) -> Converted {
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
    fn script_conversion_keeps_words_and_alignment() {
        let cases = [
            ("可信賴", "可信赖"),
            ("以人為本", "以人为本"),
            ("法治", "法治"),
            // Everyday words keep their meaning (OpenCC's tw2sp would not).
            ("核心價值", "核心价值"),
            ("建立健全", "建立健全"),
        ];
        for (hant, hans) in cases {
            let c = CONVERTER.convert(hant);
            assert_eq!(c.text, hans, "{hant}");
            assert_eq!(
                c.source,
                (0..hans.chars().count())
                    .map(|i| (i, i))
                    .collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn vocabulary_is_looked_up_by_whole_word() {
        for (taiwan, mainland) in [
            ("人工智慧", "人工智能"),
            ("數位", "数字"),
            ("使用者", "用户"),
        ] {
            let simplified = CONVERTER.convert(taiwan).text;
            assert_eq!(CONVERTER.mainland(&simplified), Some(mainland), "{taiwan}");
        }
        assert_eq!(CONVERTER.mainland("投资"), None);
        assert!(CONVERTER.vocabulary_words().contains(&"资安".to_string()));
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
