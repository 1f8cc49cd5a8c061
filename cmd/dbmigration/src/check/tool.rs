//! What each migration tool does with a history that changed between two refs: how it decides
//! that an applied migration was edited, and what it does with a new migration whose version
//! sorts before the latest applied one. One entry per format in [`TOOLS`].

use sha2::{Digest, Sha384};

use crate::migration::Migration;

/// What the tool does with a pending migration older than the latest applied one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutOfOrder {
    /// It applies it (after the newer ones already ran): a warning.
    Applied,
    /// It stops and applies nothing until an option allows it: an error.
    Refused,
    /// It never applies it: an error.
    NeverApplied,
}

/// How the tool notices that an applied migration changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checksum {
    /// No checksum: any byte of the up or down text counts.
    Bytes,
    /// sqlx: SHA-384 of the up file's bytes (`sqlx-core/src/migrate/migration.rs`,
    /// `checksum()`); down files are not recorded.
    Sqlx,
    /// Flyway: CRC-32 of the file's lines without their line endings, a leading BOM dropped
    /// (`flyway-core/.../resolver/ChecksumCalculator.java`, `LoadableResource.calculateChecksum`),
    /// so line-ending changes are not edits.
    FlywayCrc32,
}

/// One tool's rules.
#[derive(Debug)]
pub struct Tool {
    /// The format name (`crate::format::Format::name`).
    pub format: &'static str,
    /// What it does with an out-of-order migration.
    pub out_of_order: OutOfOrder,
    /// That, in a sentence for reports.
    pub out_of_order_says: &'static str,
    /// How edits are noticed.
    pub checksum: Checksum,
    /// Whether migrations have down sections/files that `check` runs.
    pub has_downs: bool,
    /// Whether the down is a section of the up file (dbmate, goose) rather than its own file.
    pub down_in_file: bool,
}

/// Every tool, keyed by format name. Sources are cited where the rule was read.
pub const TOOLS: &[Tool] = &[
    Tool {
        format: "golang-migrate",
        out_of_order: OutOfOrder::NeverApplied,
        // golang-migrate/migrate `migrate.go` (`Up` reads the one current version from
        // `schema_migrations` and reads `Next` versions after it).
        out_of_order_says: "golang-migrate records only the latest applied version and `migrate up` applies only versions after it, so this migration is never applied",
        checksum: Checksum::Bytes,
        has_downs: true,
        down_in_file: false,
    },
    Tool {
        format: "dbmate",
        out_of_order: OutOfOrder::Applied,
        // amacneil/dbmate `pkg/dbmate/db.go` (`Migrate`: pending = not in schema_migrations;
        // the out-of-order error only with `Strict`).
        out_of_order_says: "dbmate applies every migration missing from schema_migrations, older ones included, after the newer ones already ran (`dbmate --strict` refuses it)",
        checksum: Checksum::Bytes,
        has_downs: true,
        down_in_file: true,
    },
    Tool {
        format: "goose",
        out_of_order: OutOfOrder::Refused,
        // pressly/goose `internal/gooseutil/resolve.go` (missing migrations are an error
        // unless allowMissing).
        out_of_order_says: "`goose up` stops with \"found 1 missing migrations before current version\" unless run with `-allow-missing`",
        checksum: Checksum::Bytes,
        has_downs: true,
        down_in_file: true,
    },
    Tool {
        format: "flyway",
        out_of_order: OutOfOrder::Refused,
        out_of_order_says: "Flyway's validation fails (\"Detected resolved migration not applied to database\") and nothing is migrated unless `outOfOrder=true`",
        checksum: Checksum::FlywayCrc32,
        has_downs: false,
        down_in_file: false,
    },
    Tool {
        format: "sqlx",
        out_of_order: OutOfOrder::Applied,
        // launchbadge/sqlx `sqlx-core/src/migrate/migrator.rs` (`run`: every migration not in
        // `_sqlx_migrations` is applied, in version order, with no order check).
        out_of_order_says: "`sqlx migrate run` applies every migration missing from _sqlx_migrations, older ones included, after the newer ones already ran",
        checksum: Checksum::Sqlx,
        has_downs: true,
        down_in_file: false,
    },
    Tool {
        format: "diesel",
        out_of_order: OutOfOrder::Applied,
        out_of_order_says: "`diesel migration run` applies every migration missing from __diesel_schema_migrations, older ones included, after the newer ones already ran",
        checksum: Checksum::Bytes,
        has_downs: true,
        down_in_file: false,
    },
    Tool {
        format: "atlas",
        out_of_order: OutOfOrder::Refused,
        out_of_order_says: "`atlas migrate apply` refuses a pending file that sorts before the last applied revision (the default `--exec-order linear`)",
        checksum: Checksum::Bytes,
        has_downs: false,
        down_in_file: false,
    },
    Tool {
        format: "prisma",
        out_of_order: OutOfOrder::Applied,
        out_of_order_says: "`prisma migrate deploy` applies every migration missing from _prisma_migrations, older ones included",
        checksum: Checksum::Bytes,
        has_downs: false,
        down_in_file: false,
    },
    Tool {
        format: "plain",
        out_of_order: OutOfOrder::Applied,
        out_of_order_says: "plain SQL files have no tracking table; whoever applies new files applies this one after the newer ones",
        checksum: Checksum::Bytes,
        has_downs: false,
        down_in_file: false,
    },
];

/// The rules for `format` (plain SQL rules for a format without an entry).
pub fn for_format(format: &str) -> &'static Tool {
    TOOLS
        .iter()
        .find(|t| t.format == format)
        .or_else(|| TOOLS.iter().find(|t| t.format == "plain"))
        .unwrap_or(&TOOLS[0])
}

impl Tool {
    /// Whether the tool sees `old` and `new` as the same migration text.
    pub fn same_content(&self, old: &Migration, new: &Migration) -> bool {
        match self.checksum {
            Checksum::Bytes => old.source == new.source && old.down == new.down,
            Checksum::Sqlx => Sha384::digest(&old.source) == Sha384::digest(&new.source),
            Checksum::FlywayCrc32 => flyway_checksum(&old.source) == flyway_checksum(&new.source),
        }
    }

    /// How the comparison works, for the report.
    pub fn compares(&self) -> &'static str {
        match self.checksum {
            Checksum::Bytes => {
                "byte for byte (the tool keeps no checksum; production runs what it ran)"
            }
            Checksum::Sqlx => {
                "by sqlx's SHA-384 checksum of the file, which `sqlx migrate run` verifies (\"migration was previously applied but has been modified\")"
            }
            Checksum::FlywayCrc32 => {
                "by Flyway's CRC-32 checksum of the lines, which Flyway's validation verifies (\"Migration checksum mismatch\")"
            }
        }
    }

    /// The key that identifies one migration across refs: the version as the tool compares it
    /// (`001` and `1` are one version; Flyway `1.0` and `1`), the name for Flyway repeatables,
    /// the path for plain files.
    pub fn key(&self, m: &Migration) -> String {
        if self.format == "plain" {
            return m.path.display().to_string();
        }
        if self.format == "flyway" && m.version == "R" {
            return format!("R:{}", m.name);
        }
        let parts: Vec<&str> = m
            .version
            .split('.')
            .map(|p| {
                let t = p.trim_start_matches('0');
                if t.is_empty() && !p.is_empty() {
                    "0"
                } else {
                    t
                }
            })
            .collect();
        let mut parts = parts;
        while parts.len() > 1 && parts.last() == Some(&"0") {
            parts.pop();
        }
        parts.join(".")
    }

    /// Whether the tool re-applies `m` when its text changes (Flyway repeatables).
    pub fn reapplies_on_change(&self, m: &Migration) -> bool {
        self.format == "flyway" && m.version == "R"
    }
}

/// Flyway's checksum: CRC-32 (IEEE) over the UTF-8 bytes of each line without its terminator
/// (`\n`, `\r\n` or `\r`, as `BufferedReader.readLine` splits), the BOM dropped from the first.
pub fn flyway_checksum(text: &str) -> i32 {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut crc = Crc32::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        crc.update(&rest.as_bytes()[..end]);
        rest = &rest[end..];
        if let Some(r) = rest.strip_prefix("\r\n") {
            rest = r;
        } else if let Some(r) = rest.strip_prefix(['\n', '\r']) {
            rest = r;
        }
    }
    // Java stores `(int) crc32.getValue()`: the same bits, signed.
    crc.finish() as i32
}

/// CRC-32 (IEEE 802.3, reflected, as `java.util.zip.CRC32`), bit by bit: migration files are
/// small and this runs once per kept migration.
struct Crc32(u32);

impl Crc32 {
    fn new() -> Self {
        Crc32(0xFFFF_FFFF)
    }

    fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u32::from(b);
            for _ in 0..8 {
                let mask = (self.0 & 1).wrapping_neg();
                self.0 = (self.0 >> 1) ^ (0xEDB8_8320 & mask);
            }
        }
    }

    fn finish(&self) -> u32 {
        !self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        let mut c = Crc32::new();
        c.update(b"123456789");
        assert_eq!(c.finish(), 0xCBF4_3926);
    }

    #[test]
    fn flyway_checksum_ignores_line_endings_and_bom() {
        let lf = flyway_checksum("create table a (id int);\nselect 1;\n");
        assert_eq!(
            lf,
            flyway_checksum("\u{FEFF}create table a (id int);\r\nselect 1;")
        );
        assert_ne!(
            lf,
            flyway_checksum("create table a (id bigint);\nselect 1;\n")
        );
    }

    #[test]
    fn every_format_has_rules() {
        for f in crate::format::FORMATS {
            assert!(
                TOOLS.iter().any(|t| t.format == f.name()),
                "no check rules for {}",
                f.name()
            );
        }
    }
}
