//! `CREATE COLLATION`: user-defined collations (`pg_collation` rows in user schemas).

use super::QualifiedName;

/// The library a collation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum CollationProvider {
    /// `libc`: the operating system's locales (`lc_collate` / `lc_ctype`).
    #[default]
    Libc,
    /// `icu`: an ICU locale (`locale`).
    Icu,
    /// `builtin` (PostgreSQL 17+): `C` or `C.UTF-8` (`locale`).
    Builtin,
}

impl CollationProvider {
    /// The `PROVIDER = ...` word.
    pub fn keyword(self) -> &'static str {
        match self {
            CollationProvider::Libc => "libc",
            CollationProvider::Icu => "icu",
            CollationProvider::Builtin => "builtin",
        }
    }

    /// The provider a word names (case-insensitive).
    pub fn from_keyword(word: &str) -> Option<CollationProvider> {
        [
            CollationProvider::Libc,
            CollationProvider::Icu,
            CollationProvider::Builtin,
        ]
        .into_iter()
        .find(|p| p.keyword().eq_ignore_ascii_case(word))
    }
}

/// A user-defined collation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Collation {
    /// Qualified collation name.
    pub name: QualifiedName,
    /// `PROVIDER`.
    pub provider: CollationProvider,
    /// `LOCALE` (ICU and builtin collations).
    pub locale: Option<String>,
    /// `LC_COLLATE` (libc collations).
    pub lc_collate: Option<String>,
    /// `LC_CTYPE` (libc collations).
    pub lc_ctype: Option<String>,
    /// `DETERMINISTIC` (false: equal-but-different strings compare equal).
    pub deterministic: bool,
    /// `RULES` (ICU tailoring rules, PostgreSQL 16+).
    pub rules: Option<String>,
    /// `COMMENT ON COLLATION`.
    pub comment: Option<String>,
}
