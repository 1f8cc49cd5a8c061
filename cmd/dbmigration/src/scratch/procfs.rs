//! What `/proc` says about a process: enough to prove that a pid still names the process we
//! recorded (its start time), and what it runs (its executable and arguments). Linux only;
//! elsewhere every question answers "unknown", and nothing is ever signalled on a guess.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// A process as recorded: its pid and its start time (clock ticks after boot, from
/// `/proc/<pid>/stat` field 22), which together name one process for the life of the machine
/// (a reused pid has a later start time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct ProcessId {
    pub(crate) pid: i32,
    pub(crate) start: u64,
}

impl ProcessId {
    /// This process.
    pub(crate) fn current() -> Option<ProcessId> {
        let pid = i32::try_from(std::process::id()).ok()?;
        ProcessId::of(pid)
    }

    /// The process now running as `pid`, if any (never pid ≤ 1).
    pub(crate) fn of(pid: i32) -> Option<ProcessId> {
        if pid <= 1 {
            return None;
        }
        let stat = Stat::read(pid)?;
        Some(ProcessId {
            pid,
            start: stat.start,
        })
    }

    /// Whether this very process still runs (not exited, not a zombie waiting to be reaped).
    pub(crate) fn is_running(&self) -> bool {
        self.pid > 1
            && Stat::read(self.pid).is_some_and(|s| s.start == self.start && s.state != 'Z')
    }
}

/// Whether `pid` has exited (a zombie, or gone altogether).
pub(crate) fn exited(pid: i32) -> bool {
    Stat::read(pid).is_none_or(|s| s.state == 'Z')
}

/// The fields of `/proc/<pid>/stat` we use.
struct Stat {
    state: char,
    start: u64,
}

impl Stat {
    fn read(pid: i32) -> Option<Stat> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        parse_stat(&text)
    }
}

/// `pid (comm) S ppid … starttime …`: the command name may hold spaces and parentheses, so
/// the fields are counted from the last `)`; field 3 is the state, field 22 the start time.
fn parse_stat(text: &str) -> Option<Stat> {
    let rest = &text[text.rfind(')')? + 1..];
    let mut fields = rest.split_ascii_whitespace();
    let state = fields.next()?.chars().next()?;
    // Fields 4..=21 lie between the state (3) and the start time (22).
    let start = fields.nth(22 - 4)?.parse().ok()?;
    Some(Stat { state, start })
}

/// The executable `pid` runs (`/proc/<pid>/exe`); `None` when unreadable or gone.
pub(crate) fn exe(pid: i32) -> Option<PathBuf> {
    std::fs::read_link(format!("/proc/{pid}/exe")).ok()
}

/// Whether `pid` was started as `… -D <data> …` (our postmasters are). PostgreSQL's postmaster
/// keeps its original argument vector (only backends retitle themselves).
pub(crate) fn has_data_dir_arg(pid: i32, data: &Path) -> bool {
    let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
    args.windows(2)
        .any(|w| w[0] == b"-D" && OsStr::from_bytes(w[1]) == data.as_os_str())
}

/// This boot's id: a pid and start time from another boot name nothing now.
pub(crate) fn boot_id() -> Option<String> {
    let text = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    Some(text.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_are_counted_from_the_last_parenthesis() {
        let line =
            "4242 (evil) 0 0 0 (name) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 99887 0 0\n";
        let stat = parse_stat(line).unwrap();
        assert_eq!(stat.state, 'S');
        assert_eq!(stat.start, 99887);
    }

    #[test]
    fn this_process_is_running_and_pid_one_is_never_named() {
        let me = ProcessId::current().unwrap();
        assert!(me.is_running());
        assert!(
            !ProcessId {
                start: me.start + 1,
                ..me
            }
            .is_running()
        );
        assert_eq!(ProcessId::of(1), None);
        assert_eq!(ProcessId::of(0), None);
        assert_eq!(ProcessId::of(-1), None);
        assert!(!ProcessId { pid: 1, start: 0 }.is_running());
        assert!(boot_id().is_some_and(|b| !b.is_empty()));
    }
}
