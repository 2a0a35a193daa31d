//! Traditional Chinese: telling the script apart and converting to Simplified.
//!
//! Taiwan, Hong Kong and Macau texts are converted to Simplified before they are
//! segmented, with OpenCC's Taiwan phrase tables (`tw2sp`, via the pure-Rust
//! ferrous-opencc), so that 人工智慧, 數位, 資訊, 軟體 and 可信賴 are counted as
//! 人工智能, 数字, 信息, 软件 and 可信赖 and compared with Simplified corpora.
//! Conversion can change length (a phrase may become shorter), so every converted
//! character keeps the span of the original characters it came from: tokens still
//! point at the Traditional surface in the document.

use std::collections::HashMap;
use std::sync::Mutex;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

/// Converts Traditional (Taiwan) text to Simplified and detects the script.
pub struct TraditionalConverter {
    to_simplified: OpenCC,
    to_traditional: OpenCC,
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
    pub fn new() -> Self {
        TraditionalConverter {
            to_simplified: OpenCC::from_config(BuiltinConfig::Tw2sp)
                .expect("the built-in tw2sp tables load"),
            to_traditional: OpenCC::from_config(BuiltinConfig::S2t)
                .expect("the built-in s2t tables load"),
            singles: Mutex::new(HashMap::new()),
        }
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

    /// Converts `text` (Han characters) to Simplified, keeping the alignment.
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
                source.push((input.len().saturating_sub(1), input.len().saturating_sub(1)));
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
        ];
        for (hant, hans) in cases {
            assert_eq!(CONVERTER.convert(hant).text, hans, "{hant}");
        }
    }

    #[test]
    fn alignment_covers_every_output_character_in_order() {
        for text in ["人工智慧與記憶體及部落格", "部落格", "記憶體", "數位平權"]
        {
            let c = CONVERTER.convert(text);
            let n_in = text.chars().count();
            assert_eq!(c.source.len(), c.text.chars().count(), "{text}");
            let mut last = 0;
            for &(a, b) in &c.source {
                assert!(a <= b && b < n_in && a >= last, "{text}: {:?}", c.source);
                last = a;
            }
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
        assert_eq!(CONVERTER.detect_script("法治"), "Hans");
    }
}
