//! Files made from the data: backups, the upgrade's copy, exports, an import's rejected rows.
//! They hold what the data file holds, so they get its permission bits, never wider: a team
//! that keeps its file 0600 must not find a 0644 copy of it next to it (issue 21).

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// The permission bits of a file made from `data_file`: the data file's read and write bits
/// (never execute). When they cannot be read, owner only.
pub fn mode_for(data_file: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(data_file).map(|m| m.permissions().mode() & 0o666).unwrap_or(0o600)
    }
    #[cfg(not(unix))]
    {
        let _ = data_file;
        0o600
    }
}

/// Opens `dest` for writing with `mode`: created with it (`create_new` refuses an existing
/// path, a symbolic link included), otherwise emptied. A new file gets `mode` less the
/// process's umask, as the system creates it: never wider than the data file, nor than the
/// user asks of new files (a share mounted 0777 must not give world-writable copies). A
/// regular file that existed is only ever narrowed to `mode`, before it is emptied, and a
/// file of someone else's that cannot be narrowed keeps its bits. Anything else
/// (`/dev/null`, a pipe) is written as it is.
fn open_with_mode(dest: &Path, mode: u32, create_new: bool) -> io::Result<File> {
    let existed = !create_new && std::fs::symlink_metadata(dest).is_ok();
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if create_new {
        options.create_new(true);
    } else {
        options.create(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    let file = options.open(dest)?;
    #[cfg(unix)]
    if existed && file.metadata()?.is_file() {
        use std::os::unix::fs::PermissionsExt;
        let old = file.metadata()?.permissions().mode() & 0o7777;
        let narrowed = old & (mode | !0o777);
        if narrowed != old {
            let _ = file.set_permissions(std::fs::Permissions::from_mode(narrowed));
        }
    }
    #[cfg(not(unix))]
    let _ = (mode, existed);
    if !create_new && file.metadata()?.is_file() {
        file.set_len(0)?;
    }
    Ok(file)
}

/// Creates (or truncates) `dest` for data read from `data_file`, with the data file's bits
/// (`mode_for`): exports and rejected rows.
pub fn create(data_file: &Path, dest: &Path) -> io::Result<File> {
    open_with_mode(dest, mode_for(data_file), false)
}

/// A file written under a temporary name in its destination's folder and put in place only
/// when complete (`finish`): a copy that fails half way (a full disk) leaves nothing, not a
/// truncated file that blocks the next try. Dropped unfinished, it removes what it wrote.
#[derive(Debug)]
pub struct Aside {
    temp: PathBuf,
    dest: PathBuf,
    done: bool,
}

impl Aside {
    /// Creates the temporary file next to `dest`, with the bits of `data_file`.
    pub fn create(data_file: &Path, dest: &Path) -> io::Result<Aside> {
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "prospect".into());
        let temp = dest.with_file_name(format!(".{name}.{}-{:08x}.tmp", std::process::id(), fastrand::u32(..)));
        open_with_mode(&temp, mode_for(data_file), true)?;
        Ok(Aside { temp, dest: dest.to_path_buf(), done: false })
    }

    /// Where the content is written until `finish`.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Puts the file in place under its name, which must still be free: linked, so that a
    /// file someone made meanwhile is never replaced (`AlreadyExists`); renamed where the file
    /// system has no links.
    pub fn finish(mut self) -> io::Result<()> {
        File::open(&self.temp)?.sync_all()?;
        match std::fs::hard_link(&self.temp, &self.dest) {
            Ok(()) => {
                let _ = std::fs::remove_file(&self.temp);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(e),
            Err(_) => {
                if std::fs::symlink_metadata(&self.dest).is_ok() {
                    return Err(io::Error::from(io::ErrorKind::AlreadyExists));
                }
                std::fs::rename(&self.temp, &self.dest)?;
            }
        }
        self.done = true;
        Ok(())
    }
}

impl Drop for Aside {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.temp);
            // SQLite's rollback journal of a copy that stopped half way.
            let mut journal = self.temp.clone().into_os_string();
            journal.push("-journal");
            let _ = std::fs::remove_file(journal);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn derived_files_take_the_data_files_bits_never_wider() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("crm.db");
        std::fs::write(&data, b"x").unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o600)).unwrap();
        let out = dir.path().join("out.csv");
        // An older export, world-readable, is narrowed too.
        std::fs::write(&out, b"old").unwrap();
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(create(&data, &out).unwrap());
        assert_eq!(mode(&out), 0o600);
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o750)).unwrap();
        assert_eq!(mode_for(&data), 0o640, "never the execute bits");
    }

    /// Review of issue 21: bits were set exactly, past the umask, so a data file on a share
    /// mounted 0777 gave world-writable copies, and an existing 0600 export could be widened.
    #[test]
    fn copies_are_never_wider_than_the_umask_nor_than_an_existing_files_bits() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("crm.db");
        std::fs::write(&data, b"x").unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o777)).unwrap();
        // SAFETY: umask only swaps the process's mask; this test puts the old one back.
        let old_mask = unsafe { libc::umask(0o022) };
        let fresh = dir.path().join("fresh.csv");
        drop(create(&data, &fresh).unwrap());
        let mine = dir.path().join("mine.csv");
        std::fs::write(&mine, b"old").unwrap();
        std::fs::set_permissions(&mine, std::fs::Permissions::from_mode(0o600)).unwrap();
        drop(create(&data, &mine).unwrap());
        unsafe { libc::umask(old_mask) };
        assert_eq!(mode(&fresh), 0o644, "the umask applies to a new copy");
        assert_eq!(mode(&mine), 0o600, "an existing file is never widened");
        assert_eq!(std::fs::read(&mine).unwrap(), b"", "and is emptied");
    }

    #[test]
    fn an_unfinished_aside_leaves_nothing_and_a_finished_one_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("crm.db");
        std::fs::write(&data, b"x").unwrap();
        let dest = dir.path().join("copy.db");
        let a = Aside::create(&data, &dest).unwrap();
        std::fs::write(a.path(), b"half").unwrap();
        drop(a);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "only the data file is left");
        let a = Aside::create(&data, &dest).unwrap();
        std::fs::write(&dest, b"someone else's").unwrap();
        assert_eq!(a.finish().unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&dest).unwrap(), b"someone else's");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
