// /proc/self must describe the guest: exe, cmdline, environ, maps, auxv and fd/ (listing
// and readlink give the guest's fds, never the runtime's). Checked differentially where
// native output is deterministic, and by properties where it is not (addresses).
using Jitexec.Tests.Programs;
using Xunit;
using static Jitexec.Tests.RealPrograms.RealProgram;

namespace Jitexec.Tests.RealPrograms;

public sealed class ProcSelfTests
{
    private static readonly Dictionary<string, string> Env = new() { ["PYTHONHASHSEED"] = "0", ["JX_MARK"] = "visible" };

    [Fact]
    public void FdDirectoryListsOnlyGuestFds()
    {
        Same("ls", ["/proc/self/fd/", "/dev/fd/"]);
        Same("ls", ["-a", "/proc/self/fd"]);
    }

    [Fact]
    public void ExeAndCmdline()
    {
        Same("readlink", ["/proc/self/exe", "-v", "/proc/self/fd/77"], expectExit: 1);
        Same("cat", ["/proc/self/cmdline", "/proc/self/comm-is-not-here"], expectExit: 1);
    }

    [Fact]
    public void PythonSeesItsOwnFdsAndFiles() => Same("/usr/bin/python3.11", ["-c", """
        import os, sys, tempfile
        d = tempfile.mkdtemp()
        a = open(os.path.join(d, "a.txt"), "w"); b = os.open(os.path.join(d, "b.txt"), os.O_CREAT | os.O_RDWR, 0o600)
        fds = sorted(int(x) for x in os.listdir("/proc/self/fd"))
        print(fds == sorted(fds) and a.fileno() in fds and b in fds, len(fds))
        print(os.readlink(f"/proc/self/fd/{a.fileno()}").replace(d, "D"), os.readlink(f"/dev/fd/{b}").replace(d, "D"))
        print(os.stat(f"/proc/self/fd/{b}").st_ino == os.fstat(b).st_ino, os.lstat(f"/proc/self/fd/{b}").st_mode >> 12)
        dfd = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
        print(os.readlink(str(b), dir_fd=dfd).replace(d, "D"), str(dfd) in os.listdir(dfd))
        os.close(b); os.close(dfd)
        for bad in (b, 250):
            try: os.readlink(f"/proc/self/fd/{bad}")
            except OSError as e: print(bad == b, e.errno, e.strerror)
        with open(f"/proc/self/fd/{a.fileno()}", "a") as again: again.write("via proc\n")
        a.close(); print(open(os.path.join(d, "a.txt")).read(), end="")
        print(os.readlink("/proc/self/exe"), open("/proc/self/cmdline", "rb").read().split(b"\0")[2:])
        env = dict(e.split(b"=", 1) for e in open("/proc/self/environ", "rb").read().split(b"\0") if e)
        print(env[b"JX_MARK"], len(env) == len(os.environb))
        maps = open("/proc/self/maps").read().splitlines()
        print(any(l.endswith("/usr/bin/python3.11") and " r-xp " in l for l in maps), any(l.endswith("[stack]") for l in maps),
              any("libc.so.6" in l for l in maps), all(len(l.split()) >= 5 for l in maps))
        import struct
        raw = open("/proc/self/auxv", "rb").read(); aux = dict(struct.iter_unpack("QQ", raw))
        print(len(raw) % 16, aux[6], aux[11] == os.getuid(), aux[0] if 0 in aux else None, aux[25] != 0)
        import shutil; shutil.rmtree(d)
        """, "argA", "argB"], env: Env);
}
