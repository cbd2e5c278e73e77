// What a snapshot is keyed on besides the mapped files: the loader-relevant environment
// (LD_* and GLIBC_TUNABLES), extra files ld.so consults, and the jitexec build identity.
using System.Text;
using Jitexec.Snapshot;

namespace Jitexec.Kernel.Resident;

public static class ResidentKey
{
    /// <summary>Files ld.so reads besides the objects it maps; their identity is part of the key (absence too).</summary>
    public static readonly string[] ExtraManifestFiles = ["/etc/ld.so.cache", "/etc/ld.so.preload"];

    public static bool IsRelevant(string name) => name.StartsWith("LD_", StringComparison.Ordinal) || name == "GLIBC_TUNABLES";

    /// <summary>Environment strings are bytes: Latin-1 maps them to chars one to one.</summary>
    public static string EnvName(byte[] entry)
    {
        int eq = entry.AsSpan().IndexOf((byte)'=');
        return Encoding.Latin1.GetString(entry, 0, eq < 0 ? entry.Length : eq);
    }

    /// <summary>LD_* and GLIBC_TUNABLES, first definition of each (the one getenv sees), sorted by name.</summary>
    public static (string Name, string Value)[] RelevantEnvironment(IReadOnlyList<byte[]> envp)
    {
        int i0 = 0;
        while (i0 < envp.Count && !Candidate(envp[i0])) i0++;
        if (i0 == envp.Count) return new (string, string)[0]; // the usual case, without the sorting machinery
        var names = new List<string>();
        var values = new List<string>();
        for (int i = i0; i < envp.Count; i++)
        {
            var e = envp[i];
            if (!Candidate(e)) continue;
            string name = EnvName(e);
            if (!IsRelevant(name) || names.Contains(name)) continue;
            int eq = e.AsSpan().IndexOf((byte)'=');
            names.Add(name);
            values.Add(eq < 0 ? "" : Encoding.Latin1.GetString(e, eq + 1, e.Length - eq - 1));
        }
        var keys = names.ToArray();
        var vals = values.ToArray();
        Array.Sort(keys, vals, StringComparer.Ordinal);
        var result = new (string, string)[keys.Length];
        for (int i = 0; i < keys.Length; i++) result[i] = (keys[i], vals[i]);
        return result;
    }

    private static bool Candidate(byte[] e) => e.Length >= 3 && (e[0] == 'L' && e[1] == 'D' && e[2] == '_' || e.AsSpan().StartsWith("GLIBC_TUNABLES="u8));

    /// <summary>Identity of this jitexec build: changes whenever any engine assembly is rebuilt differently.</summary>
    public static string BuildId { get; } = ComputeBuildId();

    // Hashes the modules' MVID bytes directly: formatting Guids as text costs milliseconds of
    // cold start-up (vectorised formatting JIT-compiled on first use), and this runs every restore.
    private static string ComputeBuildId()
    {
        Span<byte> ids = stackalloc byte[4 * 16];
        var types = new[] { typeof(ResidentKey), typeof(Translator.Core.Cpu), typeof(Loader.ElfFile), typeof(SnapshotImage) };
        for (int i = 0; i < types.Length; i++) types[i].Assembly.ManifestModule.ModuleVersionId.TryWriteBytes(ids.Slice(16 * i, 16));
        return Hex(SnapshotFile.Hash(ids));
    }

    /// <summary>The build id of the jitexec build published in <paramref name="directory"/> (its engine
    /// assemblies' MVIDs, read from their metadata), or null when they cannot be read. A NativeAOT build
    /// asks this of the build it would hand a process to, before handing it over.</summary>
    public static string? BuildIdOf(string directory)
    {
        Span<byte> ids = stackalloc byte[4 * 16];
        string[] names = ["Jitexec.Kernel.dll", "Jitexec.Translator.dll", "Jitexec.Loader.dll", "Jitexec.Snapshot.dll"];
        try
        {
            for (int i = 0; i < names.Length; i++)
            {
                using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(Path.Combine(directory, names[i])));
                var md = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
                md.GetGuid(md.GetModuleDefinition().Mvid).TryWriteBytes(ids.Slice(16 * i, 16));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException) { return null; }
        return Hex(SnapshotFile.Hash(ids));
    }

    /// <summary>16 lower-case hex digits, little-endian byte order (as the id has always been written).</summary>
    private static string Hex(ulong v)
    {
        Span<char> c = stackalloc char[16];
        for (int i = 0; i < 8; i++)
        {
            int b = (int)(v >> (8 * i)) & 0xFF;
            c[2 * i] = "0123456789abcdef"[b >> 4];
            c[2 * i + 1] = "0123456789abcdef"[b & 15];
        }
        return new string(c);
    }
}
