//! A sharded run on a real Slurm: a single-node cluster (munged, slurmctld and
//! slurmd, started here and stopped by process id) runs the job array and the merge
//! of `pipelines/slurm/submit.sh` over the shared corpus, and the merged directory
//! is one run's. Skips visibly without Slurm or root; CI installs Debian's
//! slurm-wlm and munge and sets `GOVLENS_REQUIRE_SLURM=1`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Table, find_program, govlens_ok, root, shared_corpus, skip};

/// Shards of the array.
const SHARDS: usize = 4;

/// A throwaway Slurm cluster of one node at 127.0.0.1, its state in a temporary
/// directory; every daemon it started is stopped when it is dropped.
struct Cluster {
    dir: tempfile::TempDir,
    daemons: Vec<(&'static str, Child)>,
}

impl Cluster {
    fn conf(&self) -> PathBuf {
        self.dir.path().join("slurm.conf")
    }

    /// A Slurm client command (sbatch, squeue ...) talking to this cluster.
    fn client(&self, program: &str) -> Command {
        let mut c = Command::new(self::program(program));
        c.env("SLURM_CONF", self.conf());
        c
    }

    fn start() -> Result<Cluster, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut cluster = Cluster {
            dir,
            daemons: Vec::new(),
        };
        cluster.start_munge()?;
        let d = cluster.dir.path().to_path_buf();
        for sub in ["state", "spool"] {
            std::fs::create_dir_all(d.join(sub)).map_err(|e| e.to_string())?;
        }
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mem_mb = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                let line = m.lines().find(|l| l.starts_with("MemTotal:"))?.to_string();
                line.split_whitespace().nth(1)?.parse::<u64>().ok()
            })
            .map_or(4096, |kb| kb / 1024 * 9 / 10);
        let (ctld_port, d_port) = (free_port()?, free_port()?);
        let p = |name: &str| d.join(name).display().to_string();
        let conf = format!(
            "ClusterName=govlens-test\n\
             SlurmctldHost=localhost(127.0.0.1)\n\
             SlurmctldPort={ctld_port}\n\
             SlurmdPort={d_port}\n\
             SlurmUser=root\n\
             SlurmdUser=root\n\
             AuthType=auth/munge\n\
             StateSaveLocation={}\n\
             SlurmdSpoolDir={}\n\
             SlurmctldPidFile={}\n\
             SlurmdPidFile={}\n\
             SlurmctldLogFile={}\n\
             SlurmdLogFile={}\n\
             ProctrackType=proctrack/linuxproc\n\
             TaskPlugin=task/none\n\
             SchedulerType=sched/builtin\n\
             SelectType=select/cons_tres\n\
             JobAcctGatherType=jobacct_gather/none\n\
             AccountingStorageType=accounting_storage/none\n\
             JobCompType=jobcomp/none\n\
             MpiDefault=none\n\
             ReturnToService=2\n\
             NodeName=govlens NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={mem_mb} State=UNKNOWN\n\
             PartitionName=test Nodes=govlens Default=YES MaxTime=INFINITE State=UP\n",
            p("state"),
            p("spool"),
            p("slurmctld.pid"),
            p("slurmd.pid"),
            p("slurmctld.log"),
            p("slurmd.log"),
        );
        std::fs::write(cluster.conf(), conf).map_err(|e| e.to_string())?;
        let conf = cluster.conf().display().to_string();
        cluster.spawn(
            "slurmctld",
            Command::new(program("slurmctld")).args(["-D", "-f", &conf]),
        )?;
        cluster.spawn(
            "slurmd",
            Command::new(program("slurmd")).args(["-D", "-N", "govlens", "-f", &conf]),
        )?;
        // Up when the node is idle.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let out = cluster
                .client("sinfo")
                .args(["-h", "-o", "%T"])
                .output()
                .map_err(|e| e.to_string())?;
            if String::from_utf8_lossy(&out.stdout).trim() == "idle" {
                return Ok(cluster);
            }
            if Instant::now() > deadline {
                return Err(format!("the node did not come up:\n{}", cluster.logs()));
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// Uses a munged already answering on the default socket, or starts one as
    /// the munge user (it refuses to run as root).
    fn start_munge(&mut self) -> Result<(), String> {
        let works = || {
            Command::new("sh")
                .args(["-c", "munge -n | unmunge"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if works() {
            return Ok(());
        }
        for (dir, mode) in [("/run/munge", "755"), ("/var/log/munge", "700")] {
            std::fs::create_dir_all(dir).map_err(|e| format!("{dir}: {e}"))?;
            let ok = Command::new("chown")
                .args(["munge:munge", dir])
                .status()
                .is_ok_and(|s| s.success())
                && Command::new("chmod")
                    .args([mode, dir])
                    .status()
                    .is_ok_and(|s| s.success());
            if !ok {
                return Err(format!("cannot give {dir} to the munge user"));
            }
        }
        self.spawn(
            "munged",
            Command::new("setpriv").args([
                "--reuid=munge",
                "--regid=munge",
                "--init-groups",
                program("munged").to_str().unwrap_or("munged"),
                "--foreground",
            ]),
        )?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while !works() {
            if Instant::now() > deadline {
                return Err(format!("munged did not answer:\n{}", self.logs()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    /// Starts a daemon in the foreground (so its process id is the child's),
    /// its output in `NAME.out`.
    fn spawn(&mut self, name: &'static str, command: &mut Command) -> Result<(), String> {
        let out = std::fs::File::create(self.dir.path().join(format!("{name}.out")))
            .map_err(|e| e.to_string())?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = command
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("{name}: {e}"))?;
        self.daemons.push((name, child));
        Ok(())
    }

    /// The daemons' logs, for a failure message.
    fn logs(&self) -> String {
        let mut s = String::new();
        for name in [
            "munged.out",
            "slurmctld.out",
            "slurmctld.log",
            "slurmd.out",
            "slurmd.log",
        ] {
            if let Ok(text) = std::fs::read_to_string(self.dir.path().join(name)) {
                let tail: Vec<&str> = text.lines().rev().take(15).collect();
                s.push_str(&format!("--- {name}\n"));
                for l in tail.into_iter().rev() {
                    s.push_str(l);
                    s.push('\n');
                }
            }
        }
        s
    }

    /// Waits until none of `jobs` is queued or running.
    fn wait(&self, jobs: &[String], limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        loop {
            let out = self
                .client("squeue")
                .args(["-h", "-j", &jobs.join(",")])
                .output()
                .map_err(|e| e.to_string())?;
            if out.status.success() && out.stdout.iter().all(u8::is_ascii_whitespace) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "jobs {jobs:?} still queued after {limit:?}:\n{}\n{}",
                    String::from_utf8_lossy(&out.stdout),
                    self.logs()
                ));
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// `JobState` of a finished job, from the controller.
    fn state(&self, job: &str) -> String {
        let out = self
            .client("scontrol")
            .args(["show", "job", job])
            .output()
            .expect("scontrol runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.split_whitespace()
            .find_map(|w| w.strip_prefix("JobState="))
            .unwrap_or("unknown")
            .to_string()
    }
}

impl Drop for Cluster {
    /// Stops the daemons this cluster started, newest first, by process id.
    fn drop(&mut self) {
        for (_, child) in self.daemons.iter_mut().rev() {
            // SAFETY: kill(2) on the id of a child not yet reaped.
            unsafe {
                libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
            }
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A TCP port free on 127.0.0.1 now.
fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// Where `name` is: on PATH, or in /usr/sbin (daemons, off a user's PATH).
fn program(name: &str) -> PathBuf {
    find_program(&[name]).unwrap_or_else(|| Path::new("/usr/sbin").join(name))
}

/// Why Slurm cannot be run here, if it cannot.
fn missing() -> Option<String> {
    for p in [
        "slurmctld",
        "slurmd",
        "munged",
        "munge",
        "sbatch",
        "squeue",
        "setpriv",
    ] {
        if !program(p).is_file() {
            return Some(format!(
                "{p} not installed (apt-get install slurm-wlm munge)"
            ));
        }
    }
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } != 0 {
        return Some("the Slurm daemons need root".into());
    }
    None
}

#[test]
fn a_slurm_array_and_its_merge_give_one_run() {
    let test = "a_slurm_array_and_its_merge_give_one_run";
    if let Some(reason) = missing() {
        return skip(test, &reason, "SLURM");
    }
    if shared_corpus(test).is_none() {
        return;
    }
    let cluster = Cluster::start().unwrap_or_else(|e| panic!("{e}"));
    let work = tempfile::tempdir().unwrap();
    let pipeline = root().join("pipelines/ai-governance.toml");
    let pipeline = pipeline.to_str().unwrap();
    let (shards_dir, merged) = (work.path().join("shards"), work.path().join("merged"));
    let submit = cluster
        .client(root().join("pipelines/slurm/submit.sh").to_str().unwrap())
        .current_dir(work.path())
        .env("SHARDS", SHARDS.to_string())
        .env("GOVLENS", env!("CARGO_BIN_EXE_govlens"))
        .env("PIPELINE", pipeline)
        .env("SHARDS_DIR", &shards_dir)
        .env("OUT", &merged)
        // The test's node is small: ask for little.
        .args(["--mem=500M", "--cpus-per-task=1"])
        .output()
        .unwrap();
    assert!(
        submit.status.success(),
        "submit.sh: {}",
        String::from_utf8_lossy(&submit.stderr)
    );
    let jobs: Vec<String> = String::from_utf8_lossy(&submit.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    assert_eq!(jobs.len(), 2, "the array's and the merge's job ids");
    cluster
        .wait(&jobs, Duration::from_secs(600))
        .unwrap_or_else(|e| panic!("{e}"));
    let logs = || {
        std::fs::read_dir(work.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".log"))
            .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        cluster.state(&jobs[1]),
        "COMPLETED",
        "merge job: {}",
        logs()
    );

    // Each task ran its own shard, from the array's environment.
    for k in 1..=SHARDS {
        let run: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(shards_dir.join(k.to_string()).join("run.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(run["settings"]["shard"], format!("{k}/{SHARDS}"));
    }
    let single = work.path().join("single");
    govlens_ok(&["run", pipeline, "-q", "--out", single.to_str().unwrap()]);
    crate::merge::assert_same_run(&single, &merged, "Slurm");
    assert!(Table::read(&merged, "documents").height() >= 31);
}
