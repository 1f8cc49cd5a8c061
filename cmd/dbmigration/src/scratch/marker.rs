//! Markers on the scratch databases we create on a `--database-url` server, so that a later
//! run can drop the ones a run killed outright (SIGKILL) left behind — and never anything else.
//!
//! The marker is the database's comment:
//! `dbmigration-scratch v1 token=<hex> owner=<pid>:<start> boot=<boot id> created=<unix secs>`.
//! The token is an HMAC-SHA256 of the database name under a secret kept in our private state
//! directory (`state.rs`), so it proves that a run sharing that directory (the same user on
//! the same machine) created the database: nobody can forge one for another name, and a
//! marker copied onto another database does not verify. A database is dropped as stale when
//! its token verifies, it is older than [`STALE_AFTER`], and its creating process is gone
//! (another boot, or the pid no longer has the recorded start time).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use tokio_postgres::Client;

use super::procfs::{self, ProcessId};
use super::state;

const PREFIX: &str = "dbmigration-scratch v1 ";
/// How old a database of a dead run must be before it is dropped.
const STALE_AFTER: Duration = Duration::from_secs(60);

/// The comment marking `name` as ours; `None` when we cannot sign it (no state directory).
pub(crate) fn comment_for(name: &str) -> Option<String> {
    let secret = state::secret().ok()?;
    let owner = ProcessId::current()?;
    let boot = procfs::boot_id()?;
    let created = now_secs();
    Some(format!(
        "{PREFIX}token={} owner={}:{} boot={boot} created={created}",
        token(&secret, name),
        owner.pid,
        owner.start
    ))
}

/// What a marker says, once its token has been checked against `name`.
#[derive(Debug, PartialEq, Eq)]
struct Marker {
    owner: ProcessId,
    boot: String,
    created: u64,
}

fn parse(comment: &str, name: &str, secret: &[u8; 32]) -> Option<Marker> {
    let rest = comment.strip_prefix(PREFIX)?;
    let (mut tok, mut owner, mut boot, mut created) = (None, None, None, None);
    for field in rest.split(' ') {
        let (key, value) = field.split_once('=')?;
        match key {
            "token" => tok = Some(value),
            "owner" => {
                let (pid, start) = value.split_once(':')?;
                owner = Some(ProcessId {
                    pid: pid.parse().ok()?,
                    start: start.parse().ok()?,
                });
            }
            "boot" => boot = Some(value.to_owned()),
            "created" => created = Some(value.parse().ok()?),
            _ => return None,
        }
    }
    let expected = token(secret, name);
    // Both are hex of the same length: comparing in constant time gains nothing here.
    (tok? == expected).then_some(())?;
    Some(Marker {
        owner: owner?,
        boot: boot?,
        created: created?,
    })
}

impl Marker {
    fn is_stale(&self, now: u64, boot: Option<&str>) -> bool {
        let old = now.saturating_sub(self.created) >= STALE_AFTER.as_secs();
        let owner_gone = boot != Some(self.boot.as_str()) || !self.owner.is_running();
        old && owner_gone
    }
}

/// Drops the stale scratch databases of our dead runs (see the module docs). Errors are
/// ignored: a sweep that cannot act leaves things as they are.
pub(crate) async fn sweep_stale(admin: &Client) {
    let Ok(secret) = state::secret() else {
        return;
    };
    let Ok(rows) = admin
        .query(
            "SELECT datname::text, shobj_description(oid, 'pg_database') FROM pg_database \
             WHERE starts_with(datname::text, 'dbmigration_scratch_')",
            &[],
        )
        .await
    else {
        return;
    };
    let (now, boot) = (now_secs(), procfs::boot_id());
    for row in rows {
        let (Ok(name), Ok(Some(comment))) = (
            row.try_get::<_, String>(0),
            row.try_get::<_, Option<String>>(1),
        ) else {
            continue;
        };
        if parse(&comment, &name, &secret).is_some_and(|m| m.is_stale(now, boot.as_deref())) {
            let _ = super::drop_database(admin, &name).await;
        }
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// HMAC-SHA256 (RFC 2104) of `name`, as hex.
fn token(secret: &[u8; 32], name: &str) -> String {
    const BLOCK: usize = 64;
    let mut key = [0u8; BLOCK];
    key[..secret.len()].copy_from_slice(secret);
    let pad = |byte: u8| key.map(|k| k ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(name.as_bytes())
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(&inner[..])
        .finalize();
    outer.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_a_reference_implementation() {
        // Key of 32 bytes 0x0b, message "Hi There" (RFC 4231 case 1 with a longer key); the
        // value is Python's `hmac.new(b'\x0b' * 32, b'Hi There', hashlib.sha256)`.
        let key = [0x0b; 32];
        assert_eq!(
            token(&key, "Hi There"),
            "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7"
        );
    }

    #[test]
    fn markers_verify_only_for_their_own_name_and_secret() {
        let secret = [7u8; 32];
        let other = [8u8; 32];
        let me = ProcessId::current().unwrap();
        let comment = format!(
            "{PREFIX}token={} owner={}:{} boot=b created=5",
            token(&secret, "dbmigration_scratch_a"),
            me.pid,
            me.start
        );
        let marker = parse(&comment, "dbmigration_scratch_a", &secret).unwrap();
        assert_eq!(marker.created, 5);
        assert!(parse(&comment, "dbmigration_scratch_b", &secret).is_none());
        assert!(parse(&comment, "dbmigration_scratch_a", &other).is_none());
        assert!(parse("dbmigration-scratch v1 token=00", "x", &secret).is_none());
        // Our own process is alive on this boot: not stale however old.
        assert!(!marker.is_stale(1_000_000, Some("b")));
        // From another boot, old: stale; young: not yet.
        assert!(marker.is_stale(1_000_000, Some("other boot")));
        assert!(!marker.is_stale(6, Some("other boot")));
    }
}
