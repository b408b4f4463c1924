//! `devkit config schema`: valid draft 2020-12, accepting exactly what the loader accepts,
//! the user guide's example configs included, and refusing a misspelt key as devkit does.

mod common;

use common::{Sandbox, stdout_of};
use devkit::config::{KEYS, parse_file};
use serde_json::Value as Json;

fn schema_from_binary() -> Json {
    // Run where the project file is broken: the schema needs no config.
    let sandbox = Sandbox::new();
    sandbox.write("devkit.yaml", "git: [unclosed\n");
    let out = sandbox
        .devkit()
        .args(["config", "schema"])
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_str(&stdout_of(&out)).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema_from_binary()).expect("a valid schema")
}

fn as_json(yaml: &str) -> Json {
    serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{yaml}: {e}"))
}

fn errors(validator: &jsonschema::Validator, yaml: &str) -> Vec<String> {
    let instance = as_json(yaml);
    validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_schema_is_valid_draft_2020_12() {
    let schema = schema_from_binary();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(jsonschema::meta::is_valid(&schema));
}

/// Every ```yaml block of the user guide (docs/guide/) that starts with `# devkit.yaml` or the
/// schema line.
fn guide_configs() -> Vec<String> {
    let guide = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/guide");
    let mut pages: Vec<_> = std::fs::read_dir(guide)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    let mut blocks = Vec::new();
    for page in pages {
        let text = std::fs::read_to_string(page).unwrap();
        let mut rest = text.as_str();
        while let Some(start) = rest.find("```yaml\n") {
            let body = &rest[start + 8..];
            let end = body.find("```").expect("a closed block");
            if body.starts_with("# devkit.yaml") || body.starts_with("# yaml-language-server") {
                blocks.push(body[..end].to_string());
            }
            rest = &body[end + 3..];
        }
    }
    blocks
}

#[test]
fn guide_example_configs_are_valid_and_a_misspelt_key_is_not() {
    let validator = validator();
    let blocks = guide_configs();
    assert!(blocks.len() >= 3, "the guide's config examples: {blocks:?}");
    let full = blocks
        .iter()
        .find(|b| b.contains("b64:") && b.contains("pyenv:"))
        .expect("the guide's full example config");
    assert!(
        full.starts_with("# yaml-language-server: $schema="),
        "the full example starts with the schema line:\n{full}"
    );
    for block in &blocks {
        assert_eq!(errors(&validator, block), Vec::<String>::new(), "{block}");
        parse_file(block).unwrap_or_else(|e| panic!("devkit refuses:\n{block}\n{e:?}"));
    }
    let misspelt = full.replace("  remote: origin", "  remtoe: origin");
    assert_ne!(misspelt, *full);
    let found = errors(&validator, &misspelt);
    assert!(
        found.len() == 1 && found[0].contains("remtoe") && found[0].ends_with("at /git"),
        "{found:?}"
    );
    assert!(parse_file(&misspelt).is_err(), "devkit refuses it too");
    let top = full.replace("\ngit:\n", "\ngti:\n");
    assert!(!validator.is_valid(&as_json(&top)));
}

/// For every key and a spread of YAML values: the schema accepts a value exactly when the
/// loader does.
#[test]
fn the_schema_accepts_what_the_loader_accepts() {
    let validator = validator();
    let samples = [
        "76",
        "0",
        "-1",
        "3.5",
        "x",
        "\"\"",
        "\"76\"",
        "true",
        "false",
        "yes",
        "60s",
        "1m 30s",
        "PT1M",
        "soon",
        "[a, b]",
        "[\"\"]",
        "[1, true]",
        "[[a]]",
        "{a: 1}",
        "null",
        "auto",
        "kv",
        "libgit2",
        "uv",
    ];
    let mut disagree = Vec::new();
    for def in KEYS {
        let (sections, leaf) = def.key.rsplit_once('.').unwrap();
        let mut yaml = String::new();
        for (depth, name) in sections.split('.').enumerate() {
            yaml.push_str(&format!("{}{name}:\n", "  ".repeat(depth)));
        }
        let indent = "  ".repeat(sections.split('.').count());
        for sample in samples {
            let text = format!("{yaml}{indent}{leaf}: {sample}\n");
            let loader = parse_file(&text).is_ok();
            let schema = validator.is_valid(&as_json(&text));
            if loader != schema {
                disagree.push(format!(
                    "{} = {sample}: loader {loader}, schema {schema}",
                    def.key
                ));
            }
        }
    }
    assert!(disagree.is_empty(), "{}", disagree.join("\n"));
    // Sections may be empty, as the loader allows; the document may be empty too.
    assert!(validator.is_valid(&as_json("blog:\n")));
    assert!(validator.is_valid(&as_json("")));
    assert!(parse_file("blog:\n").is_ok());
}
