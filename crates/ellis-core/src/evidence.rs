//! Evidence files sent in answer to a request for evidence: PDF, JPEG or PNG, at most 10 MB each. The type
//! is read from the content (its magic bytes), never from the name or the client's claim.

pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_FILES: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceType {
    Pdf,
    Jpeg,
    Png,
}

impl EvidenceType {
    /// What the bytes are, if they are one of the accepted types.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }
}

/// A file name safe to store and to send back in a header: the last path segment, printable ASCII without
/// quotes, at most 100 characters; `evidence` when nothing is left.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .filter(|c| !matches!(c, '"' | ';'))
        .take(100)
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() { "evidence".to_owned() } else { trimmed.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_comes_from_the_content_not_the_name() {
        assert_eq!(EvidenceType::sniff(b"%PDF-1.7\n..."), Some(EvidenceType::Pdf));
        assert_eq!(EvidenceType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(EvidenceType::Jpeg));
        assert_eq!(EvidenceType::sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(EvidenceType::Png));
        assert_eq!(EvidenceType::sniff(b"<html>pretending.pdf"), None);
        assert_eq!(EvidenceType::sniff(b"MZ\x90\0 an executable"), None);
    }

    #[test]
    fn file_names_lose_paths_quotes_and_odd_characters() {
        assert_eq!(clean_file_name("C:\\\\Users\\ana\\birth \"cert\".pdf"), "birth cert.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("\u{202e}fdp.exe"), "fdp.exe");
        assert_eq!(clean_file_name("///"), "evidence");
    }
}
