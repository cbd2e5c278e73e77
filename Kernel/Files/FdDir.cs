// The guest's view of /proc/self/fd as a directory: getdents64 lists the guest's fds
// (never the runtime's), as symlink entries after "." and "..". The listing is taken
// at the first read after opening or rewinding, like the kernel's per-read snapshot.
using System.Text;
using Jitexec.Kernel.Process;

namespace Jitexec.Kernel.Files;

public static class FdDir
{
    private const byte DT_DIR = 4, DT_LNK = 10;

    /// <summary>getdents64 on an fd-directory entry: fill the guest buffer with linux_dirent64 records.</summary>
    public static long Getdents(LinuxProcess p, FdTable.Entry e, ulong buf, ulong size)
    {
        e.Listing ??= [(".", DT_DIR), ("..", DT_DIR), .. p.Fds.OpenFds().Select(fd => (fd.ToString(), DT_LNK))];
        var output = new List<byte>();
        while (e.ListingPos < e.Listing.Count)
        {
            var (name, type) = e.Listing[e.ListingPos];
            byte[] n = Encoding.ASCII.GetBytes(name);
            int reclen = (19 + n.Length + 1 + 7) & ~7;
            if ((ulong)(output.Count + reclen) > size) break;
            var rec = new byte[reclen];
            BitConverter.TryWriteBytes(rec.AsSpan(0), (ulong)(e.ListingPos + 1) * 1000 + 3);  // d_ino: any stable nonzero value
            BitConverter.TryWriteBytes(rec.AsSpan(8), (long)(e.ListingPos + 1));            // d_off: position of the next record
            BitConverter.TryWriteBytes(rec.AsSpan(16), (ushort)reclen);
            rec[18] = type;
            n.CopyTo(rec, 19);
            output.AddRange(rec);
            e.ListingPos++;
        }
        if (output.Count == 0 && e.ListingPos < e.Listing.Count) return -Syscalls.Errno.EINVAL; // buffer too small for one record
        p.WriteBytes(buf, output.ToArray());
        return output.Count;
    }

    /// <summary>lseek on an fd-directory entry: positions are record indices; seeking to 0 rewinds (and refreshes the listing).</summary>
    public static long Seek(FdTable.Entry e, long offset, int whence)
    {
        long pos = whence switch { 0 => offset, 1 => e.ListingPos + offset, _ => -1 };
        if (pos < 0) return -Syscalls.Errno.EINVAL;
        if (pos == 0) e.Listing = null;
        e.ListingPos = (int)Math.Min(pos, int.MaxValue);
        return pos;
    }
}
