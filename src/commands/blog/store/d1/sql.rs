//! SQL literals for `wrangler d1 execute --file`, which cannot bind parameters: exact for any
//! NUL-free UTF-8 text and any bytes, and long values cut into rows that keep every
//! statement under D1's 100 KB and every literal short (wrangler's splitter is quadratic in
//! one literal's length).

/// D1 refuses a statement over 100,000 bytes; a statement devkit builds stays under this.
pub const MAX_STATEMENT_BYTES: usize = 90_000;
/// The longest literal devkit writes (text escaped, or a BLOB's hex).
pub const MAX_LITERAL_BYTES: usize = 2_000;

/// `'text'`, with `'` doubled. SQLite text literals cannot hold NUL: `Err` names its offset.
pub fn text(s: &str) -> Result<String, usize> {
    if let Some(at) = memchr::memchr(0, s.as_bytes()) {
        return Err(at);
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
    Ok(out)
}

/// `X'hex'`.
pub fn blob(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 * bytes.len() + 3);
    out.push_str("X'");
    for b in bytes {
        out.push_str(&format!("{b:02X}"));
    }
    out.push('\'');
    out
}

/// `s` cut at character boundaries into pieces whose literal is at most `max` bytes.
pub fn text_pieces(s: &str, max: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut len = 2;
    for (i, c) in s.char_indices() {
        let n = c.len_utf8() * if c == '\'' { 2 } else { 1 };
        if len + n > max && i > start {
            pieces.push(&s[start..i]);
            start = i;
            len = 2;
        }
        len += n;
    }
    if start < s.len() || pieces.is_empty() {
        pieces.push(&s[start..]);
    }
    pieces
}

/// Rows given as `(…)` tuples, inserted by as few `{head} VALUES …;` statements as the
/// statement limit allows.
pub fn inserts(head: &str, rows: &[String], out: &mut Vec<String>) {
    let mut statement = String::new();
    for row in rows {
        if !statement.is_empty() && statement.len() + row.len() + 2 > MAX_STATEMENT_BYTES {
            statement.push(';');
            out.push(std::mem::take(&mut statement));
        }
        if statement.is_empty() {
            statement = format!("{head} VALUES {row}");
        } else {
            statement.push(',');
            statement.push_str(row);
        }
    }
    if !statement.is_empty() {
        statement.push(';');
        out.push(statement);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Undo `text`, as SQLite reads a literal.
    fn unquote(literal: &str) -> String {
        literal[1..literal.len() - 1].replace("''", "'")
    }

    #[test]
    fn text_doubles_quotes_and_keeps_emoji_and_refuses_nul() {
        let s = "it's 'quoted' — 🦀\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}\n\\ \" ;--";
        let literal = text(s).unwrap();
        assert_eq!(literal, "'it''s ''quoted'' — 🦀🏳️‍🌈\n\\ \" ;--'");
        assert_eq!(unquote(&literal), s);
        assert_eq!(text("ab\0c"), Err(2));
        assert_eq!(text("").unwrap(), "''");
    }

    #[test]
    fn blobs_are_hex_of_every_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        let literal = blob(&bytes);
        assert!(literal.starts_with("X'000102") && literal.ends_with("FDFEFF'"));
        assert_eq!(literal.len(), 3 + 512);
        assert_eq!(blob(&[]), "X''");
    }

    #[test]
    fn a_long_page_is_cut_into_short_literals_that_join_back() {
        let unit = "Ünïcødé 'quote' 🦀 text, ";
        let page = unit.repeat(1_900_000 / unit.len());
        assert!(page.len() > 1_800_000);
        let pieces = text_pieces(&page, MAX_LITERAL_BYTES);
        assert_eq!(pieces.concat(), page);
        let literals: Vec<String> = pieces.iter().map(|p| text(p).unwrap()).collect();
        assert!(literals.iter().all(|l| l.len() <= MAX_LITERAL_BYTES));
        let rows: Vec<String> = literals
            .iter()
            .enumerate()
            .map(|(n, l)| format!("('k', 'html', {n}, {l})"))
            .collect();
        let mut statements = Vec::new();
        inserts(
            "INSERT INTO devkit_chunks (key, part, n, data)",
            &rows,
            &mut statements,
        );
        assert!(statements.len() > 1);
        assert!(statements.iter().all(|s| s.len() <= MAX_STATEMENT_BYTES));
        let joined: String = literals.iter().map(|l| unquote(l)).collect();
        assert_eq!(joined, page);
        assert_eq!(text_pieces("", 10), vec![""]);
        assert_eq!(text_pieces("''''", 6), vec!["''", "''"]);
    }
}
