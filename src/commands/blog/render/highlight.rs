//! Fenced code → HTML coloured with inline styles (`<span style="color:#rrggbb">`), so a page
//! needs no stylesheet, no JavaScript and no network. The grammars and the theme are syntect's
//! bundled ones, loaded once per process on the first fence that needs them.

use std::fmt::Write as _;
use std::sync::LazyLock;

use syntect::easy::HighlightLines;
use syntect::highlighting::{Color, FontStyle, Style, Theme, ThemeSet};
use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder};
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// TOML is missing from syntect's bundle. devkit carries a small grammar of its own (comments,
/// tables, keys, strings, numbers, dates, booleans) as a serialized syntect definition: loading
/// `.sublime-syntax` YAML would need syntect's `yaml-load` and the unmaintained `yaml-rust`.
static TOML: LazyLock<SyntaxSet> = LazyLock::new(|| {
    let definition: SyntaxDefinition = serde_json::from_str(include_str!("toml.syntax.json"))
        .expect("the bundled TOML grammar is valid");
    let mut builder = SyntaxSetBuilder::new();
    builder.add(definition);
    builder.build()
});

/// A light theme close to GitHub's, readable on the white page the reference Worker serves.
static THEME: LazyLock<Theme> = LazyLock::new(|| {
    let mut themes = ThemeSet::load_defaults().themes;
    themes
        .remove("InspiredGitHub")
        .expect("syntect bundles the InspiredGitHub theme")
});

/// What a fence's language means for rendering.
pub enum Language {
    /// Highlight with this grammar (of this set).
    Known(&'static SyntaxSet, &'static SyntaxReference),
    /// Explicitly plain (`text`, `plain`, `txt`, `plaintext`, `output`): no colours, no warning.
    Plain,
    /// A language devkit has no grammar for: plain, with a warning.
    Unknown,
}

/// Names writers use for the languages whose bundled grammar has another name or extension.
/// TypeScript has no grammar in syntect's bundle: JavaScript's colours its keywords, strings,
/// comments and numbers, and leaves type annotations plain.
const ALIASES: &[(&str, &str)] = &[
    ("rust", "Rust"),
    ("rs", "Rust"),
    ("js", "JavaScript"),
    ("javascript", "JavaScript"),
    ("jsx", "JavaScript"),
    ("mjs", "JavaScript"),
    ("cjs", "JavaScript"),
    ("ts", "JavaScript"),
    ("typescript", "JavaScript"),
    ("tsx", "JavaScript"),
    ("mts", "JavaScript"),
    ("sh", "Bourne Again Shell (bash)"),
    ("bash", "Bourne Again Shell (bash)"),
    ("shell", "Bourne Again Shell (bash)"),
    ("zsh", "Bourne Again Shell (bash)"),
    ("py", "Python"),
    ("python", "Python"),
    ("python3", "Python"),
    ("yaml", "YAML"),
    ("yml", "YAML"),
    ("json", "JSON"),
    ("jsonc", "JSON"),
    ("html", "HTML"),
    ("xml", "XML"),
    ("svg", "XML"),
    ("css", "CSS"),
    ("go", "Go"),
    ("golang", "Go"),
    ("c", "C"),
    ("h", "C"),
    ("cpp", "C++"),
    ("c++", "C++"),
    ("cxx", "C++"),
    ("cc", "C++"),
    ("hpp", "C++"),
    ("sql", "SQL"),
    ("diff", "Diff"),
    ("patch", "Diff"),
    ("md", "Markdown"),
    ("markdown", "Markdown"),
    ("java", "Java"),
    ("ruby", "Ruby"),
    ("rb", "Ruby"),
    ("php", "PHP"),
    ("lua", "Lua"),
    ("makefile", "Makefile"),
    ("make", "Makefile"),
];

const PLAIN: &[&str] = &["text", "txt", "plain", "plaintext", "output"];

/// The language a fence's info string names: its first word, before any `,` or `{`
/// (`rust,ignore`, `js {1,3}`), case-insensitive.
pub fn fence_language(info: &str) -> &str {
    let word = info.split_whitespace().next().unwrap_or("");
    word.split([',', '{']).next().unwrap_or("")
}

pub fn language(name: &str) -> Language {
    let lower = name.to_ascii_lowercase();
    if PLAIN.contains(&lower.as_str()) {
        return Language::Plain;
    }
    if lower == "toml" {
        let toml: &'static SyntaxSet = &TOML;
        return Language::Known(toml, &toml.syntaxes()[0]);
    }
    let syntaxes: &'static SyntaxSet = &SYNTAXES;
    let found = match ALIASES.iter().find(|(alias, _)| *alias == lower) {
        Some((_, grammar)) => syntaxes.find_syntax_by_name(grammar),
        // Any other bundled grammar by its name or file extension (`haskell`, `hs`, `scala`).
        None => syntaxes.find_syntax_by_token(&lower),
    };
    match found {
        Some(s) if s.name != "Plain Text" => Language::Known(syntaxes, s),
        _ => Language::Unknown,
    }
}

/// `code` as `<pre style=…><code>…</code></pre>\n`, each run of one colour in one span.
pub fn highlight(code: &str, set: &SyntaxSet, syntax: &SyntaxReference) -> String {
    let theme: &'static Theme = &THEME;
    let default = Style {
        foreground: theme.settings.foreground.unwrap_or(Color::BLACK),
        background: theme.settings.background.unwrap_or(Color::WHITE),
        font_style: FontStyle::empty(),
    };
    let mut out = String::with_capacity(code.len() * 3);
    let _ = write!(
        out,
        "<pre style=\"background-color:{};color:{}\"><code>",
        hex(default.background),
        hex(default.foreground)
    );
    let mut lines = HighlightLines::new(syntax, theme);
    // Runs of equal style are merged across tokens (and lines), so spans stay few.
    let mut run_style = String::new();
    let mut run_text = String::new();
    for line in LinesWithEndings::from(code) {
        let tokens = match lines.highlight_line(line, set) {
            Ok(tokens) => tokens,
            // A grammar that fails on some input leaves the rest of the block plain.
            Err(_) => vec![(default, line)],
        };
        for (style, text) in tokens {
            let css = style_css(style, default);
            if css != run_style && !text.trim().is_empty() {
                flush(&mut out, &run_style, &run_text);
                run_text.clear();
                run_style = css;
            }
            run_text.push_str(text);
        }
    }
    flush(&mut out, &run_style, &run_text);
    out.push_str("</code></pre>\n");
    out
}

/// The most a code byte can grow by when coloured: a run of one byte in a span carrying every
/// declaration [`style_css`] writes (`<span style="` + 74 bytes of CSS + `">` + `</span>`).
pub const MAX_GROWTH_PER_BYTE: usize = 96;
/// The most a block's own wrapper grows by: the styled `<pre>` and its `<code>`.
pub const MAX_BLOCK_GROWTH: usize = 128;

fn flush(out: &mut String, css: &str, text: &str) {
    if text.is_empty() {
        return;
    }
    if css.is_empty() {
        escape_into(out, text);
    } else {
        let _ = write!(out, "<span style=\"{css}\">");
        escape_into(out, text);
        out.push_str("</span>");
    }
}

/// The declarations that differ from the block's own colour, in a fixed order: the sanitizer
/// admits exactly this shape (see [`is_highlight_style`]).
fn style_css(style: Style, default: Style) -> String {
    let mut parts = Vec::new();
    if style.foreground != default.foreground {
        parts.push(format!("color:{}", hex(style.foreground)));
    }
    if style.font_style.contains(FontStyle::BOLD) {
        parts.push("font-weight:bold".to_owned());
    }
    if style.font_style.contains(FontStyle::ITALIC) {
        parts.push("font-style:italic".to_owned());
    }
    if style.font_style.contains(FontStyle::UNDERLINE) {
        parts.push("text-decoration:underline".to_owned());
    }
    parts.join(";")
}

fn hex(c: Color) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// A `style` value the highlighter emits on `element`, and nothing else: `pre` gets
/// `background-color:#rrggbb;color:#rrggbb`; `span` gets one or more of `color:#rrggbb`,
/// `font-weight:bold`, `font-style:italic`, `text-decoration:underline` in that order.
pub fn is_highlight_style(element: &str, value: &str) -> bool {
    match element {
        "pre" => value
            .strip_prefix("background-color:")
            .and_then(|rest| rest.split_once(";color:"))
            .is_some_and(|(bg, fg)| is_hex_colour(bg) && is_hex_colour(fg)),
        "span" => {
            const ORDER: [&str; 4] = [
                "color:",
                "font-weight:bold",
                "font-style:italic",
                "text-decoration:underline",
            ];
            let mut next = 0;
            value.split(';').all(|part| {
                let Some(i) = (next..ORDER.len()).find(|&i| match ORDER[i] {
                    "color:" => part.strip_prefix("color:").is_some_and(is_hex_colour),
                    fixed => part == fixed,
                }) else {
                    return false;
                };
                next = i + 1;
                true
            })
        }
        _ => false,
    }
}

fn is_hex_colour(s: &str) -> bool {
    s.len() == 7
        && s.starts_with('#')
        && s[1..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_name_bundled_grammars() {
        for (alias, grammar) in ALIASES {
            assert!(
                SYNTAXES.find_syntax_by_name(grammar).is_some(),
                "{alias} → {grammar} is not bundled"
            );
            assert!(matches!(language(alias), Language::Known(..)), "{alias}");
        }
        assert!(matches!(language("RS"), Language::Known(..)));
        assert!(matches!(language("haskell"), Language::Known(..)));
        assert!(matches!(language("toml"), Language::Known(..)));
        assert!(matches!(language("text"), Language::Plain));
        assert!(matches!(language("brainfudge"), Language::Unknown));
        assert!(matches!(language("txt"), Language::Plain));
    }

    #[test]
    fn fence_language_is_the_first_word() {
        assert_eq!(fence_language("rust,ignore"), "rust");
        assert_eq!(fence_language("js {1,3} title=x"), "js");
        assert_eq!(fence_language(""), "");
    }

    #[test]
    fn every_emitted_style_passes_the_filter() {
        let Language::Known(set, rust) = language("rust") else {
            panic!("rust is bundled")
        };
        let html = highlight(
            "/// Doc\nfn main() { let s = \"<x>\"; println!(\"{s}\"); }\n",
            set,
            rust,
        );
        assert!(html.contains("&lt;x&gt;"), "{html}");
        let mut styles = 0;
        for (i, _) in html.match_indices("style=\"") {
            let element = html[..i].rsplit('<').next().unwrap().trim();
            let value = &html[i + 7..];
            let value = &value[..value.find('"').unwrap()];
            assert!(is_highlight_style(element, value), "{element} {value}");
            styles += 1;
        }
        assert!(styles > 3, "{html}");
    }

    #[test]
    fn toml_is_highlighted_by_its_own_grammar() {
        let Language::Known(set, toml) = language("toml") else {
            panic!("toml is bundled")
        };
        let code = "# c\n[package]\nname = \"devkit\" # n\nversion = 1\nx = { a.b = true }\ns = \"\"\"\nmulti\n\"\"\"\nd = 2026-12-01\n";
        let html = highlight(code, set, toml);
        let comment = html.find("# c").unwrap();
        let styled = |needle: &str| {
            let at = html
                .find(needle)
                .unwrap_or_else(|| panic!("{needle} in {html}"));
            html[..at].ends_with("\">")
        };
        assert!(html[..comment].ends_with("\">"), "{html}");
        for needle in [
            "package",
            "name",
            "&quot;devkit&quot;",
            "1\n",
            "true",
            "&quot;&quot;&quot;\nmulti",
            "2026-12-01",
        ] {
            assert!(styled(needle), "{needle} is coloured in {html}");
        }
    }

    #[test]
    fn the_filter_refuses_other_styles() {
        assert!(is_highlight_style("span", "color:#a0b1c2"));
        assert!(is_highlight_style("span", "color:#a0b1c2;font-weight:bold"));
        assert!(is_highlight_style("span", "font-style:italic"));
        assert!(is_highlight_style(
            "pre",
            "background-color:#ffffff;color:#323232"
        ));
        for bad in [
            "",
            "color:red",
            "color:#A0B1C2",
            "color:#a0b1c2;",
            "font-weight:bold;color:#a0b1c2",
            "color:#a0b1c2;position:fixed",
            "background:url(x)",
            "color:#a0b1c2;color:#a0b1c2",
        ] {
            assert!(!is_highlight_style("span", bad), "{bad}");
        }
        assert!(!is_highlight_style("div", "color:#a0b1c2"));
        assert!(!is_highlight_style("pre", "color:#a0b1c2"));
    }
}
