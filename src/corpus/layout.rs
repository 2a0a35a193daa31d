//! What a reader knows of a document's layout beyond its text, handed to the
//! document pass with the text: the document's structure (units, zones) is found
//! there, from the text and this.

/// What a format knows of a document's layout beyond its text: where its pages
/// start and which of its lines are headings. Plain text, Markdown and HTML have
/// neither; PDF has pages, Word and OpenDocument have headings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// Byte offset at which each page starts (the first is 0), in order; empty
    /// when the document has no pages.
    pub pages: Vec<usize>,
    /// Byte offsets of the lines that the format marks as headings, in order.
    pub headings: Vec<usize>,
}

impl Layout {
    /// The page (from 1) holding byte `offset`, in a paged document.
    pub fn page_at(&self, offset: usize) -> Option<u32> {
        if self.pages.is_empty() {
            return None;
        }
        let n = self.pages.partition_point(|&p| p <= offset).max(1);
        Some(u32::try_from(n).unwrap_or(u32::MAX))
    }
}
