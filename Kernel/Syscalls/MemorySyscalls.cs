// Syscall group: brk, mmap, munmap, mprotect, mremap, madvise, msync. Guest mappings are
// placed inside the guest reservation; the AddressSpace keeps VMAs and host pages in step
// and drops translations of code that changes.
using Jitexec.Kernel.Memory;
using Jitexec.Kernel.Process;
using Jitexec.Loader;
using Jitexec.Translator.Memory;
using static Jitexec.Kernel.Syscalls.Forward;
using N = Jitexec.Kernel.Host.HostNr;

namespace Jitexec.Kernel.Syscalls;

internal static class MemorySyscalls
{
    private const int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_SHARED_VALIDATE = 3, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
        MAP_FIXED_NOREPLACE = 0x100000;
    private const int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;

    public static IEnumerable<SyscallRow> Rows =>
    [
        new(12, "brk", (LinuxProcess p, SyscallArgs a) => (long)p.Space.SetBrk(a.A0), Arg.Ptr),
        new(9, "mmap", (LinuxProcess p, SyscallArgs a) => Mmap(p, a), Arg.Ptr, Arg.UInt, Arg.MmapProt, Arg.MmapFlags, Arg.Fd, Arg.Hex),
        new(11, "munmap", (LinuxProcess p, SyscallArgs a) => Munmap(p, a.A0, a.A1), Arg.Hex, Arg.UInt),
        new(10, "mprotect", (LinuxProcess p, SyscallArgs a) => Mprotect(p, a.A0, a.A1, (int)a.A2), Arg.Hex, Arg.UInt, Arg.MmapProt),
        new(25, "mremap", (LinuxProcess p, SyscallArgs a) => Mremap(p, a), Arg.Hex, Arg.UInt, Arg.UInt, Arg.Hex, Arg.Hex),
        new(28, "madvise", (LinuxProcess p, SyscallArgs a) => Madvise(p, a), Arg.Hex, Arg.UInt, Arg.Int),
        new(26, "msync", (LinuxProcess p, SyscallArgs a) => Msync(p, a), Arg.Hex, Arg.UInt, Arg.Hex),
    ];

    private static bool BadRange(ulong addr, ulong len) =>
        (addr & (Layout.Page - 1)) != 0 || len == 0 || !GuestMemory.InRange(addr, Layout.PageUp(len)) || Layout.PageUp(len) < len;

    private static long Mmap(LinuxProcess p, SyscallArgs a)
    {
        ulong addr = a.A0, len = a.A1, off = a.A5;
        int prot = (int)a.A2, flags = (int)a.A3;
        int type = flags & 3;
        if (len == 0 || (off & (Layout.Page - 1)) != 0 || type == 0) return -Errno.EINVAL;
        if ((prot & ~7) != 0) return -Errno.EINVAL;
        len = Layout.PageUp(len);
        if (len == 0 || len >= GuestMemory.Size) return -Errno.ENOMEM;
        bool fixedMap = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
        if (fixedMap)
        {
            if ((addr & (Layout.Page - 1)) != 0) return -Errno.EINVAL;
            if (!GuestMemory.InRange(addr, len)) return -Errno.ENOMEM;
            if ((flags & MAP_FIXED_NOREPLACE) != 0 && !p.Space.IsFree(addr, len)) return -Errno.EEXIST;
        }
        else
        {
            ulong hint = Layout.PageDown(addr);
            addr = hint != 0 && hint >= Layout.MmapMin && GuestMemory.InRange(hint, len) && p.Space.IsFree(hint, len)
                ? hint : p.Space.FindFree(len);
            if (addr == 0) return -Errno.ENOMEM;
        }
        bool shared = type is MAP_SHARED or MAP_SHARED_VALIDATE;
        long r;
        Vma vma;
        if ((flags & MAP_ANONYMOUS) != 0)
        {
            r = p.Space.MapHostAnonymous(addr, len, prot, shared);
            vma = new Vma(addr, addr + len, prot, shared, "", 0, 0, 0);
        }
        else
        {
            int hfd = p.Fds.HostFd((long)a.A4);
            if (hfd < 0) return -Errno.EBADF;
            // Reject what the kernel rejects before we disturb the address space.
            var st = Host.Stat.Of(hfd);
            long fl = Call(N.Fcntl, hfd, 3 /* F_GETFL */);
            if (fl >= 0 && (fl & 3) == 1 /* O_WRONLY */) return -Errno.EACCES;
            if (shared && (prot & 2) != 0 && fl >= 0 && (fl & 3) != 2 /* O_RDWR */) return -Errno.EACCES;
            r = p.Space.MapHostFile(addr, len, prot, shared, hfd, off);
            vma = new Vma(addr, addr + len, prot, shared, FdPath(hfd), off, st.Dev, st.Ino);
        }
        if (r < 0) return r;
        p.Space.Insert(vma);
        return (long)addr;
    }

    private static string FdPath(int hostFd)
    {
        try { return new FileInfo($"/proc/self/fd/{hostFd}").LinkTarget ?? ""; }
        catch (IOException) { return ""; }
    }

    private static long Munmap(LinuxProcess p, ulong addr, ulong len)
    {
        if (BadRange(addr, len)) return -Errno.EINVAL;
        p.Space.Unmap(addr, Layout.PageUp(len));
        return 0;
    }

    private static long Mprotect(LinuxProcess p, ulong addr, ulong len, int prot)
    {
        if ((addr & (Layout.Page - 1)) != 0 || (prot & ~(7 | 0x01000000 /* PROT_GROWSDOWN */ | 0x02000000)) != 0) return -Errno.EINVAL;
        if (len == 0) return 0;
        len = Layout.PageUp(len);
        if (!GuestMemory.InRange(addr, len)) return -Errno.ENOMEM;
        return p.Space.ProtectRange(addr, len, prot & 7) ? 0 : -Errno.ENOMEM;
    }

    private static unsafe long Mremap(LinuxProcess p, SyscallArgs a)
    {
        ulong old = a.A0, oldLen = Layout.PageUp(a.A1), newLen = Layout.PageUp(a.A2), newAddr = a.A4;
        int flags = (int)a.A3;
        if ((old & (Layout.Page - 1)) != 0 || newLen == 0 || (flags & ~3) != 0) return -Errno.EINVAL;
        if ((flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0) return -Errno.EINVAL;
        var v = p.Space.Find(old);
        if (v == null || old + oldLen > v.End) return -Errno.EFAULT;
        if (newLen <= oldLen && (flags & MREMAP_FIXED) == 0)
        {
            if (newLen < oldLen) p.Space.Unmap(old + newLen, oldLen - newLen);
            return (long)old;
        }
        // Grow in place when the following range is free.
        if ((flags & MREMAP_FIXED) == 0 && p.Space.IsFree(old + oldLen, newLen - oldLen) && GuestMemory.InRange(old, newLen))
        {
            long r = Grow(p, v, old + oldLen, newLen - oldLen);
            if (r == 0) return (long)old;
        }
        if ((flags & MREMAP_MAYMOVE) == 0) return -Errno.ENOMEM;
        ulong dest = (flags & MREMAP_FIXED) != 0 ? newAddr : p.Space.FindFree(newLen);
        if (dest == 0 || (dest & (Layout.Page - 1)) != 0) return -Errno.EINVAL;
        // Move with the host's mremap so page contents (and file backing) follow.
        nint moved = (nint)Call(N.Mremap, (long)p.Mem.Ptr(old), (long)oldLen, (long)newLen, MREMAP_MAYMOVE | MREMAP_FIXED, (long)p.Mem.Ptr(dest));
        if (moved < 0) return moved;
        p.Space.CodeChanged?.Invoke(old, oldLen);
        p.Space.CodeChanged?.Invoke(dest, newLen);
        var moving = v.Slice(old, old + oldLen);
        p.Space.Unmap(old, oldLen); // old range back to the reservation (host mremap already vacated it)
        p.Space.Insert(moving with { Start = dest, End = dest + newLen });
        return (long)dest;
    }

    private static long Grow(LinuxProcess p, Vma v, ulong at, ulong len)
    {
        long r = v.IsFile
            ? -Errno.ENOMEM // growing file mappings in place: let the move path handle it
            : p.Space.MapHostAnonymous(at, len, v.Prot, v.Shared);
        if (r < 0) return r;
        p.Space.Insert(v with { End = at + len }); // one grown VMA, as the kernel merges it (a later mremap may span it)
        return 0;
    }

    private static long Msync(LinuxProcess p, SyscallArgs a)
    {
        const int MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;
        int flags = (int)a.A2;
        if ((a.A0 & (Layout.Page - 1)) != 0 || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0
            || (flags & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC)) return -Errno.EINVAL;
        ulong len = Layout.PageUp(a.A1);
        if (len == 0) return 0;
        if (!GuestMemory.InRange(a.A0, len) || !p.Space.IsMapped(a.A0, len)) return -Errno.ENOMEM;
        return Call(N.Msync, p.Host(a.A0, len), (long)len, flags);
    }

    private static long Madvise(LinuxProcess p, SyscallArgs a)
    {
        if ((a.A0 & (Layout.Page - 1)) != 0) return -Errno.EINVAL;
        int advice = (int)a.A2;
        if (!(advice is (>= 0 and <= 4) or (>= 8 and <= 25))) return -Errno.EINVAL;
        ulong len = Layout.PageUp(a.A1);
        if (len == 0) return 0;
        if (!GuestMemory.InRange(a.A0, len) || !p.Space.IsMapped(a.A0, len)) return -Errno.ENOMEM;
        // MADV_DONTNEED on private anonymous memory zero-fills, which the host does for us.
        if (advice is (>= 0 and <= 4) or (>= 8 and <= 25))
            return Call(N.Madvise, p.Host(a.A0, a.A1), (long)a.A1, advice);
        return -Errno.EINVAL;
    }
}
