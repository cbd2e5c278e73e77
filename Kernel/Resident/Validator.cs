// Decides whether a parsed snapshot may be used for this run: same jitexec build, virtual
// CPU, page size, program, identity, stack limit, loader environment, and every manifest
// file (path, device, inode, size, mtime) unchanged. Returns the first reason it may not.
using Jitexec.Kernel.Host;
using Jitexec.Snapshot;

namespace Jitexec.Kernel.Resident;

public static unsafe class Validator
{
    public static string? Check(SnapshotImage s, string exeFullPath, IReadOnlyList<byte[]> envp)
    {
        if (s.BuildId != ResidentKey.BuildId) return $"made by another jitexec build ({s.BuildId}, this is {ResidentKey.BuildId})";
        if (s.CpuProfile != Translator.Core.CpuProfile.Name) return $"made for virtual CPU {s.CpuProfile}, this is {Translator.Core.CpuProfile.Name}";
        if (s.PageSize != 4096) return $"page size {s.PageSize}";
        if (s.ProgramPath != exeFullPath) return $"made for {s.ProgramPath}, not {exeFullPath}";
        var id = CurrentIdentity();
        if (id != s.Identity) return $"made for uid/gid/stack limit {Show(s.Identity)}, this run has {Show(id)}";
        var env = ResidentKey.RelevantEnvironment(envp);
        bool same = env.Length == s.Environment.Length;
        for (int i = 0; same && i < env.Length; i++) same = env[i].Name == s.Environment[i].Name && env[i].Value == s.Environment[i].Value;
        if (!same)
        {
            var names = env.Select(e => e.Name).Concat(s.Environment.Select(e => e.Name)).Distinct()
                .Where(n => env.FirstOrDefault(e => e.Name == n) != s.Environment.FirstOrDefault(e => e.Name == n));
            return $"loader environment changed ({string.Join(", ", names)})";
        }
        return ManifestMismatch(s);
    }

    public static string? ManifestMismatch(SnapshotImage s)
    {
        foreach (var m in s.Manifest)
            if (HostFiles.Mismatch(m) is { } why) return why;
        return null;
    }

    public static IdentityInfo CurrentIdentity()
    {
        var lim = stackalloc ulong[2];
        ulong stack = Raw.Call(HostNr.Prlimit64, 0, 3, 0, (long)lim) == 0 ? lim[0] : ulong.MaxValue;
        return new IdentityInfo((uint)Raw.Call(HostNr.Getuid), (uint)Raw.Call(HostNr.Geteuid), (uint)Raw.Call(HostNr.Getgid),
            (uint)Raw.Call(HostNr.Getegid), false, stack);
    }

    private static string Show(IdentityInfo i) => $"{i.Uid}/{i.Euid}/{i.Gid}/{i.Egid}/{(i.StackLimit == ulong.MaxValue ? "unlimited" : i.StackLimit.ToString())}";
}
