// Compiles the guest C programs in tests/guest with gcc at test time, in each link
// variant, into a cache keyed by source content so repeated runs do not recompile.
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Jitexec.Tests.Programs;

public enum LinkVariant { Static, StaticPie, Dynamic, Pie }

public static class GuestBuild
{
    private static readonly string CacheDir = Path.Combine(Path.GetTempPath(), "jitexec-guest-cache");
    private static readonly object Gate = new();

    public static string Flags(LinkVariant v) => v switch
    {
        LinkVariant.Static => "-static -no-pie",
        LinkVariant.StaticPie => "-static-pie",
        LinkVariant.Dynamic => "-no-pie",
        _ => "-pie -fPIE",
    };

    /// <summary>Path of the compiled program (compiling it if needed).</summary>
    public static string Get(string name, LinkVariant variant, string opt = "-O2")
    {
        string src = Path.Combine(Repo.GuestSources, name + ".c");
        string flags = $"{opt} -g0 {Flags(variant)} -lm";
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(src) + flags)))[..16];
        string output = Path.Combine(CacheDir, $"{name}-{variant}-{key}".ToLowerInvariant());
        lock (Gate)
        {
            if (File.Exists(output)) return output;
            Directory.CreateDirectory(CacheDir);
            string tmp = output + ".tmp" + Environment.ProcessId;
            var psi = new ProcessStartInfo("gcc") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in $"{opt} -g0 {Flags(variant)} -o".Split(' ', StringSplitOptions.RemoveEmptyEntries)) psi.ArgumentList.Add(a);
            psi.ArgumentList.Add(tmp);
            psi.ArgumentList.Add(src);
            psi.ArgumentList.Add("-lm");
            using var p = Process.Start(psi)!;
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"gcc failed for {name} ({variant}): {err}");
            File.Move(tmp, output, overwrite: true);
            return output;
        }
    }
}
