//! One migrate command as a child process: `sh -c COMMAND` in its own process group, with a
//! deadline, its output streamed or kept, and nothing of it left running afterwards.
//!
//! The group is ours because we create it (`process_group(0)`: setpgid in the child before
//! exec), and we signal it only while its leader (`sh`) is our unreaped child: `waitid` with
//! `WNOWAIT` tells that the leader exited without reaping it, the leftovers of the group are
//! killed then, and only after that is the leader reaped (`scratch::reap_group` holds the lock
//! the signal handler and the timeout take). A process that left the group (`setsid`) is out
//! of reach, as it is for a terminal's job control.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::wait::{Id, WaitPidFlag, waitid};
use nix::unistd::Pid;

/// How many of the last output lines a failure shows.
pub const TAIL_LINES: usize = 20;
/// Longer lines are cut (a minified bundle printed by a tool should not fill the report).
const LINE_CHARS: usize = 400;
/// How long the output readers may take after the group is gone (a process that escaped the
/// group with `setsid` may hold the pipes open for ever).
const DRAIN: Duration = Duration::from_secs(2);

/// What to run and how.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Given to `sh -c`.
    pub command: String,
    /// The working directory.
    pub cwd: PathBuf,
    /// Variables removed from the inherited environment.
    pub remove: Vec<std::ffi::OsString>,
    /// Variables set (after the removals).
    pub set: Vec<(String, String)>,
    /// The prefix of streamed lines (`release`), when streaming.
    pub stream_label: Option<String>,
    /// The deadline.
    pub timeout: Duration,
}

/// How it ended.
#[derive(Debug)]
pub enum Ended {
    /// It exited (or was killed by someone else's signal).
    Exited(ExitStatus),
    /// The deadline passed; its group was killed.
    TimedOut,
}

/// The end, the last lines of its output (stdout and stderr as they came) and the time taken.
#[derive(Debug)]
pub struct Outcome {
    /// How it ended.
    pub ended: Ended,
    /// Up to [`TAIL_LINES`] last lines.
    pub tail: Vec<String>,
    /// Wall time.
    pub elapsed: Duration,
}

#[derive(Default)]
struct Tail {
    lines: VecDeque<String>,
}

impl Tail {
    fn push(&mut self, line: String) {
        if self.lines.len() == TAIL_LINES {
            self.lines.pop_front();
        }
        self.lines.push_back(line);
    }
}

/// Runs `spec` to its end (blocking). An error only when `sh` cannot be started.
pub fn run(spec: &Spec) -> std::io::Result<Outcome> {
    let start = Instant::now();
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(&spec.command)
        .current_dir(&spec.cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    for name in &spec.remove {
        command.env_remove(name);
    }
    for (name, value) in &spec.set {
        command.env(name, value);
    }
    let mut child = command.spawn()?;
    let leader = i32::try_from(child.id()).unwrap_or(0);
    let group = crate::scratch::add_group(leader);

    let tail = Arc::new(Mutex::new(Tail::default()));
    let (drained_tx, drained_rx) = mpsc::channel::<()>();
    let pipes: Vec<Box<dyn Read + Send>> = [
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .collect();
    let readers = pipes.len();
    for pipe in pipes {
        let tail = Arc::clone(&tail);
        let label = spec.stream_label.clone();
        let done = drained_tx.clone();
        std::thread::spawn(move || {
            read_lines(pipe, &tail, label.as_deref());
            let _ = done.send(());
        });
    }

    let (ended_tx, ended_rx) = mpsc::channel::<std::io::Result<ExitStatus>>();
    std::thread::spawn(move || {
        // Wait for the leader's exit without reaping it: its pid stays the group's id.
        while let Err(Errno::EINTR) = waitid(
            Id::Pid(Pid::from_raw(leader)),
            WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT,
        ) {}
        // Whatever it left running in its group (a server, a `&` job) goes with it.
        crate::scratch::kill_group(group);
        let status = crate::scratch::reap_group(group, || child.wait());
        let _ = ended_tx.send(status);
    });

    let ended = match ended_rx.recv_timeout(spec.timeout) {
        Ok(status) => Ended::Exited(status?),
        Err(_) => {
            crate::scratch::kill_group(group);
            match ended_rx.recv() {
                Ok(status) => {
                    status?;
                    Ended::TimedOut
                }
                Err(_) => Ended::TimedOut,
            }
        }
    };
    let deadline = Instant::now() + DRAIN;
    for _ in 0..readers {
        if drained_rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .is_err()
        {
            break;
        }
    }
    let tail = tail
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .lines
        .iter()
        .cloned()
        .collect();
    Ok(Outcome {
        ended,
        tail,
        elapsed: start.elapsed(),
    })
}

/// Reads `pipe` line by line into `tail`, and to stderr under `label` when streaming. The
/// output is the repository's code talking: no control character reaches the terminal raw.
fn read_lines(pipe: Box<dyn Read + Send>, tail: &Mutex<Tail>, label: Option<&str>) {
    let mut reader = BufReader::new(pipe);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&buf);
        let text = text.trim_end_matches(['\n', '\r']);
        let mut line: String = ::lint::report::escape::terminal_line(text).into_owned();
        if line.chars().count() > LINE_CHARS {
            line = line.chars().take(LINE_CHARS).collect::<String>() + "…";
        }
        if let Some(label) = label {
            eprintln!("  {label} │ {line}");
        }
        tail.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(line);
    }
}
