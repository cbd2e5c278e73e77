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
        int eq = Array.IndexOf(entry, (byte)'=');
        return Encoding.Latin1.GetString(entry, 0, eq < 0 ? entry.Length : eq);
    }

    public static List<(string Name, string Value)> RelevantEnvironment(IReadOnlyList<byte[]> envp)
    {
        var list = new List<(string, string)>();
        var seen = new HashSet<string>();
        foreach (var e in envp)
        {
            string name = EnvName(e);
            if (!IsRelevant(name) || !seen.Add(name)) continue; // the first definition is the one getenv sees
            int eq = Array.IndexOf(e, (byte)'=');
            list.Add((name, eq < 0 ? "" : Encoding.Latin1.GetString(e, eq + 1, e.Length - eq - 1)));
        }
        list.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return list;
    }

    /// <summary>Identity of this jitexec build: changes whenever any engine assembly is rebuilt differently.</summary>
    public static string BuildId { get; } = ComputeBuildId();

    private static string ComputeBuildId()
    {
        var sb = new StringBuilder();
        foreach (var t in new[] { typeof(ResidentKey), typeof(Translator.Core.Cpu), typeof(Loader.ElfFile), typeof(SnapshotImage) })
            sb.Append(t.Assembly.ManifestModule.ModuleVersionId.ToString("N"));
        return Convert.ToHexStringLower(BitConverter.GetBytes(SnapshotFile.Hash(Encoding.ASCII.GetBytes(sb.ToString()))));
    }
}
