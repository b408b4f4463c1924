//! URLs inside raw HTML an author wrote (`<img src>`, `<a href>`, `srcset`, `poster`): found with
//! their place in the fragment so they can be reported at their line and rewritten in place,
//! whatever the HTML policy (trusted HTML keeps its tags, but its images still need publishing).

use std::ops::Range;

/// Attributes whose value is one URL.
const URL_ATTRIBUTES: &[&str] = &["src", "href", "poster"];

/// One URL in a fragment: its bytes as written (entity-encoded) and the number of newlines
/// before it.
pub struct UrlSpan {
    pub range: Range<usize>,
    pub newlines_before: usize,
}

/// Every URL in the tags of `html` (comments skipped), in order.
pub fn urls(html: &str) -> Vec<UrlSpan> {
    let bytes = html.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i + 4..]
                .find("-->")
                .map_or(bytes.len(), |end| i + 4 + end + 3);
            continue;
        }
        if !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        // The tag name, then attributes until `>`.
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' && bytes[i] != b'/' {
            i += 1;
        }
        loop {
            while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let name_start = i;
            while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let name = html[name_start..i].to_ascii_lowercase();
            let mut j = i;
            while j < bytes.len() && is_space(bytes[j]) {
                j += 1;
            }
            if bytes.get(j) != Some(&b'=') {
                continue;
            }
            j += 1;
            while j < bytes.len() && is_space(bytes[j]) {
                j += 1;
            }
            let value = match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[j + 1..]
                        .find(q as char)
                        .map_or(bytes.len(), |e| j + 1 + e);
                    i = (end + 1).min(bytes.len());
                    j + 1..end
                }
                _ => {
                    let mut end = j;
                    while end < bytes.len() && !is_space(bytes[end]) && bytes[end] != b'>' {
                        end += 1;
                    }
                    i = end;
                    j..end
                }
            };
            if URL_ATTRIBUTES.contains(&name.as_str()) {
                push_trimmed(html, value, &mut spans);
            } else if name == "srcset" {
                for candidate in srcset_urls(&html[value.clone()]) {
                    let start = value.start + candidate.start;
                    push_trimmed(html, start..value.start + candidate.end, &mut spans);
                }
            }
        }
    }
    spans
}

fn push_trimmed(html: &str, range: Range<usize>, spans: &mut Vec<UrlSpan>) {
    let text = &html[range.clone()];
    let start = range.start + (text.len() - text.trim_start().len());
    let end = range.end - (text.len() - text.trim_end().len());
    if start < end {
        spans.push(UrlSpan {
            range: start..end,
            newlines_before: html[..start].matches('\n').count(),
        });
    }
}

/// The URL of each `srcset` candidate (`a.png 1x, b.png 2x`), as ranges of `value`.
fn srcset_urls(value: &str) -> Vec<Range<usize>> {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b',') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !is_space(bytes[i]) {
            i += 1;
        }
        // A URL may not end with a comma there: that comma ends a candidate without descriptor.
        let mut end = i;
        while end > start && bytes[end - 1] == b',' {
            end -= 1;
        }
        if start < end {
            out.push(start..end);
        }
        if end < i {
            continue;
        }
        // Skip the descriptors up to the next comma.
        while i < bytes.len() && bytes[i] != b',' {
            i += 1;
        }
    }
    out
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// An attribute value as its text: the character references HTML authors use in URLs.
pub fn decode(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let entity = &rest[1..semi];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .map(|hex| u32::from_str_radix(hex, 16))
                    .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                    .and_then(Result::ok)
                    .and_then(char::from_u32),
            }?;
            Some((c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `url` ready to stand inside a quoted attribute value.
pub fn encode(url: &str) -> String {
    url.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(html: &str) -> Vec<(String, usize)> {
        urls(html)
            .into_iter()
            .map(|s| (decode(&html[s.range]), s.newlines_before))
            .collect()
    }

    #[test]
    fn finds_src_href_srcset_in_any_quoting() {
        let html = "<p>\n<img alt=\"x\" src=\"pics/a.png\">\n<a title='t' HREF='doc.pdf?x=1&amp;y=2'>d</a>\n<img src=b.png/><source srcset=\"c.png 1x, d.png 2x,e.png\">";
        assert_eq!(
            found(html),
            [
                ("pics/a.png".to_owned(), 1),
                ("doc.pdf?x=1&y=2".to_owned(), 2),
                ("b.png/".to_owned(), 3),
                ("c.png".to_owned(), 3),
                ("d.png".to_owned(), 3),
                ("e.png".to_owned(), 3),
            ]
        );
    }

    #[test]
    fn skips_comments_text_and_other_attributes() {
        let html = "<!-- <img src=\"no.png\"> --> src=\"text.png\" <img data-src=\"x.png\" alt=\"src=y.png\">";
        assert!(found(html).is_empty(), "{:?}", found(html));
    }

    #[test]
    fn decodes_character_references() {
        assert_eq!(decode("a&amp;b&#32;c&#x41;&bogus;&"), "a&b cA&bogus;&");
    }
}
