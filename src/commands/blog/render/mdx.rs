//! `.mdx` posts render as Markdown: what only an MDX compiler understands is taken out first,
//! with a warning at its line. Lines are blanked rather than removed, so every later Markdown
//! line keeps its file line.

use super::Note;

/// The body with top-level `import`/`export` statements and `{/* … */}` comments removed
/// (fenced code untouched). A `{/* more */}` line alone becomes the more-marker, the MDX
/// spelling of `<!-- more -->`.
pub fn strip(body: &str, first_line: usize, notes: &mut Vec<Note>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<(u8, usize)> = None;
    let mut in_esm = false;
    let mut in_comment = false;
    let mut previous_blank = true;
    for (index, line) in body.split_inclusive('\n').enumerate() {
        let file_line = first_line + index;
        let (text, newline) = match line.strip_suffix('\n') {
            Some(t) => (t, "\n"),
            None => (line, ""),
        };
        let blank = text.trim().is_empty();
        if let Some((ch, len)) = fence {
            if closes_fence(text, ch, len) {
                fence = None;
            }
            out.push_str(line);
            previous_blank = blank;
            continue;
        }
        if in_esm {
            if blank {
                in_esm = false;
            } else {
                if is_esm(text) {
                    notes.push(esm_note(text, file_line));
                }
                out.push_str(newline);
                continue;
            }
        }
        if !in_comment {
            if let Some(open) = opens_fence(text) {
                fence = Some(open);
                out.push_str(line);
                previous_blank = false;
                continue;
            }
            if previous_blank && is_esm(text) {
                notes.push(esm_note(text, file_line));
                in_esm = true;
                out.push_str(newline);
                continue;
            }
            if matches!(text.trim(), "{/* more */}" | "{/*more*/}") {
                out.push_str("<!-- more -->");
                out.push_str(newline);
                previous_blank = false;
                continue;
            }
        }
        let (kept, still_in_comment, opened) = strip_comments(text, in_comment);
        if opened {
            notes.push(Note {
                line: file_line,
                message: "MDX comment `{/* … */}` dropped".to_owned(),
            });
        }
        let removed_something = in_comment || opened;
        in_comment = still_in_comment;
        if removed_something && kept.trim().is_empty() {
            out.push_str(newline);
        } else {
            out.push_str(&kept);
            out.push_str(newline);
        }
        previous_blank = kept.trim().is_empty();
    }
    out
}

fn esm_note(text: &str, line: usize) -> Note {
    let keyword = if text.starts_with("import") {
        "import"
    } else {
        "export"
    };
    Note {
        line,
        message: format!("MDX `{keyword}` statement dropped: devkit renders MDX as Markdown"),
    }
}

fn is_esm(text: &str) -> bool {
    ["import", "export"].iter().any(|kw| {
        text.strip_prefix(kw)
            .is_some_and(|rest| rest.starts_with([' ', '\t', '{', '*']))
    })
}

/// `(fence char, length)` when `text` opens a fenced code block.
pub(super) fn opens_fence(text: &str) -> Option<(u8, usize)> {
    let indent = text.len() - text.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &text[indent..];
    let ch = *rest.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = rest.bytes().take_while(|&b| b == ch).count();
    // A backtick fence's info string may not contain a backtick.
    (len >= 3 && !(ch == b'`' && rest[len..].contains('`'))).then_some((ch, len))
}

pub(super) fn closes_fence(text: &str, ch: u8, len: usize) -> bool {
    let indent = text.len() - text.trim_start_matches(' ').len();
    let rest = &text[indent..];
    let run = rest.bytes().take_while(|&b| b == ch).count();
    indent <= 3 && run >= len && rest[run..].trim().is_empty()
}

/// `text` without its `{/* … */}` comments (code spans untouched): the kept text, whether a
/// comment is still open at the end, and whether one opened on this line.
fn strip_comments(text: &str, mut in_comment: bool) -> (String, bool, bool) {
    let mut kept = String::with_capacity(text.len());
    let mut opened = false;
    let mut rest = text;
    while !rest.is_empty() {
        if in_comment {
            match rest.find("*/}") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    in_comment = false;
                }
                None => rest = "",
            }
            continue;
        }
        let next_comment = rest.find("{/*");
        let next_code = rest.find('`');
        match (next_comment, next_code) {
            (Some(c), code) if code.is_none_or(|b| c < b) => {
                kept.push_str(&rest[..c]);
                rest = &rest[c + 3..];
                in_comment = true;
                opened = true;
            }
            (_, Some(b)) => {
                // A code span: copy through its closing run of the same length, if any.
                let run = rest[b..].bytes().take_while(|&x| x == b'`').count();
                let ticks = &rest[b..b + run];
                let after = &rest[b + run..];
                let close = find_run(after, run);
                let end = close.map_or(b + run, |c| b + run + c + ticks.len());
                kept.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            (None, None) => {
                kept.push_str(rest);
                rest = "";
            }
            (Some(_), None) => unreachable!("covered by the first arm"),
        }
    }
    (kept, in_comment, opened)
}

/// Where a run of exactly `n` backticks starts in `s`.
fn find_run(s: &str, n: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if run == n {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> (String, Vec<usize>) {
        let mut notes = Vec::new();
        let out = strip(body, 10, &mut notes);
        (out, notes.into_iter().map(|n| n.line).collect())
    }

    #[test]
    fn drops_imports_exports_and_comments_keeping_lines() {
        let body = "import Chart from './chart.js'\nexport const meta = {\n  a: 1,\n}\n\n# Title {/* hidden */}\n\n{/* a\nlong comment */}\nText `{/* code */}` stays.\n";
        let (out, lines) = run(body);
        assert_eq!(
            out,
            "\n\n\n\n\n# Title \n\n\n\nText `{/* code */}` stays.\n"
        );
        assert_eq!(lines, [10, 11, 15, 17]);
        assert_eq!(out.lines().count(), body.lines().count());
    }

    #[test]
    fn leaves_fenced_code_and_mid_paragraph_words_alone() {
        let body =
            "```js\nimport x from 'y'\n{/* kept */}\n```\nSome text\nimport is a word here\n";
        let (out, lines) = run(body);
        assert_eq!(out, body);
        assert!(lines.is_empty());
    }

    #[test]
    fn a_more_comment_is_the_more_marker() {
        let (out, lines) = run("Intro\n\n{/* more */}\n\nRest\n");
        assert_eq!(out, "Intro\n\n<!-- more -->\n\nRest\n");
        assert!(lines.is_empty());
    }
}
