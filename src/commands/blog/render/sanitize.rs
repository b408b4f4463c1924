//! The HTML policy `sanitize`: ammonia with its default allow-list of formatting tags, plus what
//! devkit's own Markdown rendering emits (heading and footnote ids, task-list checkboxes, the
//! more anchor) and the highlighter's inline styles, matched exactly, never an author's `style`.

use std::borrow::Cow;
use std::sync::LazyLock;

use ammonia::Builder;

use super::highlight::is_highlight_style;

static CLEANER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::default();
    b.add_tags(["section", "input"])
        .add_tag_attributes("a", ["id", "class", "aria-label"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("section", ["class"])
        .add_tag_attributes("span", ["id", "style"])
        .add_tag_attributes("pre", ["style"])
        .add_tag_attributes("input", ["checked"])
        // Image candidates for other pixel densities; an image URL cannot run script.
        .add_tag_attributes("img", ["srcset"])
        // A checkbox is all Markdown makes of `input`: nothing a reader can type into.
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .attribute_filter(keep_attribute);
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, ["id"]);
    }
    b
});

/// Classes Markdown rendering uses, per element; other classes are dropped.
const CLASSES: &[(&str, &str)] = &[
    ("a", "anchor"),
    ("a", "footnote-backref"),
    ("sup", "footnote-ref"),
    ("section", "footnotes"),
];

fn keep_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match attribute {
        "style" => is_highlight_style(element, value).then_some(Cow::Borrowed(value)),
        "class" => {
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|class| CLASSES.contains(&(element, *class)))
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}
