//! What file system a data file lives on, and whether its mount options make SQLite's locks
//! unreliable (SPEC S5). SQLite's own documentation warns that locking on network file systems
//! is only as good as the server's; a few mount options turn it off entirely, and then two
//! users can write at once and corrupt the file. We read `/proc/mounts` (and `statfs` where
//! the mount table says nothing) and warn at start; WAL is refused on a network file system
//! because its shared-memory index does not work across machines.

use std::path::{Path, PathBuf};

/// One line of the mount table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// Where it is mounted.
    pub point: PathBuf,
    /// File system type as the kernel names it (`ext4`, `nfs4`, `cifs`, `fuse.sshfs`…).
    pub fs_type: String,
    /// Mount options, split on commas.
    pub options: Vec<String>,
}

/// What the file system means for a shared Prospect file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSystem {
    /// Type, when known.
    pub fs_type: Option<String>,
    /// A network (or otherwise remote) file system: rollback journal only.
    pub network: bool,
    /// Reasons locking may not protect the file, worded for the person at the keyboard.
    pub warnings: Vec<MountWarning>,
}

/// A mount setting that breaks or weakens SQLite's locking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountWarning {
    /// NFS `nolock` or `local_lock=…`: locks are only seen on this machine.
    NfsLocalLocks {
        /// The option as written in the mount table.
        option: String,
    },
    /// CIFS/SMB `nobrl`: byte-range locks are not sent to the server.
    CifsNoByteRangeLocks,
    /// CIFS/SMB `nostrictsync`: fsync does not reach the server's disk.
    CifsNoStrictSync,
    /// A network file system whose locking we know nothing about.
    UnknownNetwork {
        /// Its type.
        fs_type: String,
    },
}

impl MountWarning {
    /// One sentence for the status bar or stderr, in the interface language.
    pub fn message(&self, lang: crate::i18n::Lang, file: &Path) -> String {
        let file = file.display().to_string();
        let (key, extra) = match self {
            MountWarning::NfsLocalLocks { option } => ("mount.nfs_local_locks", option.as_str()),
            MountWarning::CifsNoByteRangeLocks => ("mount.cifs_nobrl", ""),
            MountWarning::CifsNoStrictSync => ("mount.cifs_nostrictsync", ""),
            MountWarning::UnknownNetwork { fs_type } => ("mount.unknown_network", fs_type.as_str()),
        };
        crate::i18n::tr_in(lang, key, &[("file", &file), ("option", extra), ("fs", extra)])
    }
}

/// Network file systems whose locking SQLite works with when mounted with locks on.
const KNOWN_NETWORK: &[&str] = &["nfs", "nfs4", "cifs", "smb3", "smbfs"];

/// Other remote file systems: locking unknown or known to be weak.
const OTHER_NETWORK: &[&str] =
    &["9p", "afs", "ceph", "glusterfs", "lustre", "ncpfs", "coda", "davfs", "gfs2", "ocfs2", "beegfs", "virtiofs"];

/// Parses `/proc/mounts` text (octal escapes such as `\040` for spaces included).
pub fn parse_mounts(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let _device = parts.next()?;
            let point = unescape(parts.next()?);
            let fs_type = parts.next()?.to_string();
            let options = parts.next().unwrap_or("").split(',').filter(|o| !o.is_empty()).map(str::to_string).collect();
            Some(Mount { point: PathBuf::from(point), fs_type, options })
        })
        .collect()
}

fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes.get(i + 1..i + 4).filter(|d| d.iter().all(|b| (b'0'..=b'7').contains(b)));
        let value = octal.map(|d| d.iter().fold(0u32, |v, b| v * 8 + u32::from(b - b'0')));
        if bytes[i] == b'\\'
            && let Some(v) = value.and_then(|v| u8::try_from(v).ok())
        {
            out.push(v);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The mount holding `path` (an absolute, resolved path): the longest mount point that is a
/// prefix of it; the last such line wins, as later mounts hide earlier ones.
pub fn mount_for<'m>(mounts: &'m [Mount], path: &Path) -> Option<&'m Mount> {
    let mut best: Option<&Mount> = None;
    for m in mounts {
        if path.starts_with(&m.point) && best.is_none_or(|b| m.point.as_os_str().len() >= b.point.as_os_str().len()) {
            best = Some(m);
        }
    }
    best
}

/// The rule: which file systems are remote and which options defeat locking.
pub fn assess(fs_type: &str, options: &[String]) -> FileSystem {
    let base = fs_type.split('.').next().unwrap_or(fs_type);
    let known = KNOWN_NETWORK.contains(&base);
    let fuse_remote = fs_type.starts_with("fuse.") && !matches!(fs_type, "fuse.lxcfs" | "fuse.portal");
    let network = known || OTHER_NETWORK.contains(&base) || fuse_remote;
    let mut warnings = Vec::new();
    let opt = |name: &str| options.iter().find(|o| *o == name || o.starts_with(&format!("{name}=")));
    match base {
        "nfs" | "nfs4" => {
            if let Some(o) = opt("nolock") {
                warnings.push(MountWarning::NfsLocalLocks { option: o.clone() });
            }
            if let Some(o) = opt("local_lock")
                && o != "local_lock=none"
            {
                warnings.push(MountWarning::NfsLocalLocks { option: o.clone() });
            }
        }
        "cifs" | "smb3" | "smbfs" => {
            if opt("nobrl").is_some() {
                warnings.push(MountWarning::CifsNoByteRangeLocks);
            }
            if opt("nostrictsync").is_some() {
                warnings.push(MountWarning::CifsNoStrictSync);
            }
        }
        _ if network => warnings.push(MountWarning::UnknownNetwork { fs_type: fs_type.to_string() }),
        _ => {}
    }
    FileSystem { fs_type: Some(fs_type.to_string()), network, warnings }
}

/// Looks up the file system of `file` (which may not exist yet: its folder is used).
/// `PROSPECT_MOUNTS_FILE` replaces `/proc/mounts`, for tests and for diagnosing a machine.
pub fn file_system_of(file: &Path) -> FileSystem {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let resolved = std::fs::canonicalize(if file.exists() { file } else { &dir }).unwrap_or(dir.clone());
    let table = std::env::var_os("PROSPECT_MOUNTS_FILE").map(PathBuf::from).unwrap_or_else(|| "/proc/mounts".into());
    if let Ok(text) = std::fs::read_to_string(&table) {
        let mounts = parse_mounts(&text);
        if let Some(m) = mount_for(&mounts, &resolved) {
            return assess(&m.fs_type, &m.options);
        }
    }
    match statfs_network(&resolved) {
        Some(kind) => assess(kind, &[]),
        None => FileSystem { fs_type: None, network: false, warnings: vec![] },
    }
}

/// Where there is no mount table: the `statfs` magic numbers of the network file systems.
#[cfg(target_os = "linux")]
fn statfs_network(path: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid NUL-terminated path and `st` a properly sized out-buffer.
    if unsafe { libc::statfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    #[allow(clippy::unnecessary_cast)]
    match st.f_type as i64 {
        0x6969 => Some("nfs"),
        0xFF53_4D42 => Some("cifs"),
        0xFE53_4D42 => Some("smb3"),
        0x517B => Some("smbfs"),
        _ => None,
    }
}

#[cfg(not(target_os = "linux"))]
fn statfs_network(_path: &Path) -> Option<&'static str> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "\
/dev/vda / ext4 rw,relatime 0 0
server:/export /mnt/share nfs4 rw,relatime,vers=4.2,hard,local_lock=none,addr=10.0.0.1 0 0
server:/old /mnt/old nfs rw,nolock,vers=3 0 0
//nas/sales /mnt/sales cifs rw,nobrl,nostrictsync,vers=3.0 0 0
//nas/team /mnt/team cifs rw,vers=3.0,cache=strict 0 0
me@host:/x /mnt/ssh fuse.sshfs rw,nosuid 0 0
/dev/vdb /mnt/share/local\\040disk ext4 rw 0 0
";

    fn fs_of(path: &str) -> FileSystem {
        let mounts = parse_mounts(TABLE);
        let m = mount_for(&mounts, Path::new(path)).expect("a mount");
        assess(&m.fs_type, &m.options)
    }

    #[test]
    fn local_disks_are_local_and_quiet() {
        let fs = fs_of("/home/alice/prospect.db");
        assert_eq!((fs.network, fs.warnings.len()), (false, 0));
        assert_eq!(fs.fs_type.as_deref(), Some("ext4"));
    }

    #[test]
    fn the_longest_mount_point_wins_and_escapes_are_read() {
        assert_eq!(fs_of("/mnt/share/local disk/p.db").fs_type.as_deref(), Some("ext4"));
        assert_eq!(fs_of("/mnt/share/p.db").fs_type.as_deref(), Some("nfs4"));
        // A sibling whose name merely starts the same is not inside the mount.
        assert_eq!(fs_of("/mnt/shared/p.db").fs_type.as_deref(), Some("ext4"));
    }

    #[test]
    fn nfs_with_locks_is_network_without_warning() {
        let fs = fs_of("/mnt/share/p.db");
        assert!(fs.network);
        assert!(fs.warnings.is_empty(), "{:?}", fs.warnings);
    }

    #[test]
    fn risky_options_are_named() {
        assert_eq!(fs_of("/mnt/old/p.db").warnings, vec![MountWarning::NfsLocalLocks { option: "nolock".into() }]);
        assert_eq!(
            fs_of("/mnt/sales/p.db").warnings,
            vec![MountWarning::CifsNoByteRangeLocks, MountWarning::CifsNoStrictSync]
        );
        assert!(fs_of("/mnt/team/p.db").warnings.is_empty());
        let all = assess("nfs", &["local_lock=all".to_string()]);
        assert_eq!(all.warnings, vec![MountWarning::NfsLocalLocks { option: "local_lock=all".into() }]);
    }

    #[test]
    fn unknown_remote_file_systems_warn() {
        let fs = fs_of("/mnt/ssh/p.db");
        assert!(fs.network);
        assert_eq!(fs.warnings, vec![MountWarning::UnknownNetwork { fs_type: "fuse.sshfs".into() }]);
        let msg = fs.warnings[0].message(crate::i18n::Lang::En, Path::new("/mnt/ssh/p.db"));
        assert!(msg.contains("fuse.sshfs") && msg.contains("/mnt/ssh/p.db"), "{msg}");
    }

    #[test]
    fn garbage_tables_do_not_panic() {
        for text in ["", "\n\n", "one", "a b", "a b c", "\\\\\\ \\0 \\07", "x /\\777 t o"] {
            let mounts = parse_mounts(text);
            let _ = mount_for(&mounts, Path::new("/x"));
        }
    }
}
