//! devkit's tables in D1, versioned by a row in `devkit_meta`: created when missing and
//! migrated in place, both in the push's own batch; tables devkit did not create are refused.

/// The schema this devkit writes.
pub const VERSION: u32 = 1;

/// Every table devkit owns; one of them without the version row means someone else's.
pub const TABLES: &[&str] = &["devkit_meta", "posts", "assets", "devkit_chunks"];

/// Version 1. `posts` has the Durable Object's columns; devkit's rows keep their `body`,
/// `html` and `source` in `devkit_chunks` (part, n), as files keep their bytes (part `file`,
/// key `~assets/NAME`), so no statement or value outgrows D1's limits.
const CREATE: &str = "CREATE TABLE IF NOT EXISTS devkit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS posts (
  slug TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'unlisted', 'published')),
  date TEXT NOT NULL,
  hash TEXT,
  body TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  html TEXT,
  source TEXT,
  excerpt TEXT,
  tags TEXT,
  updated TEXT
);
CREATE TABLE IF NOT EXISTS assets (name TEXT PRIMARY KEY, content_type TEXT NOT NULL, bytes INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS devkit_chunks (
  key TEXT NOT NULL,
  part TEXT NOT NULL,
  n INTEGER NOT NULL,
  data NOT NULL,
  PRIMARY KEY (key, part, n)
);";

/// The statements that move version `n` to `n + 1` (index `n - 1`); none yet.
const MIGRATIONS: &[&str] = &[];

/// What the database holds of devkit's schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// None of devkit's tables: created by the first push.
    Missing,
    /// This version: nothing to do.
    Current,
    /// An older version, migrated by the next push.
    Older(u32),
    /// A newer devkit wrote it.
    Newer(u32),
    /// These tables exist without devkit's version row: never altered.
    Foreign(Vec<String>),
}

/// The state from the tables the database has and its version row.
pub fn state(tables: &[String], version: Option<&str>) -> State {
    let ours: Vec<String> = tables
        .iter()
        .filter(|t| TABLES.contains(&t.as_str()))
        .cloned()
        .collect();
    match version.map(str::parse::<u32>) {
        _ if ours.is_empty() => State::Missing,
        Some(Ok(VERSION)) => State::Current,
        Some(Ok(v)) if v < VERSION => State::Older(v),
        Some(Ok(v)) => State::Newer(v),
        _ => State::Foreign(ours),
    }
}

/// The statements that bring the database from `state` to [`VERSION`] (none when current);
/// `None` for a database devkit must not touch.
pub fn upgrade(state: &State) -> Option<Vec<String>> {
    let stamp = format!(
        "INSERT OR REPLACE INTO devkit_meta (key, value) VALUES ('schema_version', '{VERSION}');"
    );
    match state {
        State::Current => Some(Vec::new()),
        State::Missing => Some(vec![CREATE.to_string(), stamp]),
        State::Older(from) => {
            let mut steps: Vec<String> = MIGRATIONS[(*from as usize - 1)..]
                .iter()
                .map(|m| m.to_string())
                .collect();
            steps.push(stamp);
            Some(steps)
        }
        State::Newer(_) | State::Foreign(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_version_row_says_whose_tables_these_are() {
        assert_eq!(state(&names(&["users"]), None), State::Missing);
        assert_eq!(state(&names(TABLES), Some("1")), State::Current);
        assert_eq!(state(&names(TABLES), Some("7")), State::Newer(7));
        assert_eq!(
            state(&names(&["posts", "users"]), None),
            State::Foreign(names(&["posts"]))
        );
        assert_eq!(upgrade(&State::Current), Some(vec![]));
        let create = upgrade(&State::Missing).unwrap().join("\n");
        assert!(create.contains("CREATE TABLE IF NOT EXISTS posts"));
        assert!(create.ends_with("VALUES ('schema_version', '1');"));
        assert_eq!(upgrade(&State::Foreign(names(&["posts"]))), None);
        assert_eq!(upgrade(&State::Newer(2)), None);
    }
}
