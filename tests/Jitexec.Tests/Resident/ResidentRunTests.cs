// Restored runs must equal plain runs (stdout, stderr, exit status) whatever the argv and
// environment, for C programs in every link variant, perl, python3 and coreutils.
using Jitexec.Tests.Programs;
using Xunit;
using static Jitexec.Tests.Resident.ResidentHarness;

namespace Jitexec.Tests.Resident;

public class ResidentRunTests
{
    public static IEnumerable<object[]> Variants() => Enum.GetValues<LinkVariant>().Select(v => new object[] { v });

    private static Dictionary<string, string> Env(params (string K, string V)[] extra)
    {
        var e = BaseEnv();
        foreach (var (k, v) in extra) e[k] = v;
        return e;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void CProgramRestoredEqualsPlain(LinkVariant variant)
    {
        string exe = GuestBuild.Get("resident", variant);
        using var dir = new ResidentDir();
        Register(dir, [exe, "register", "argmarker"], Env(("RT_A", "registration"), ("RT_PAD", new string('p', 500))));
        string big = new('x', 60_000);
        var cases = new (string[] Args, Dictionary<string, string> Env)[]
        {
            ([exe], Env()),                                                               // smaller argv and env
            ([exe, "one", "two words", "", "three"], Env(("RT_A", "a"), ("RT_B", "b"))),
            ([exe, big, big], Env(("RT_A", big), ("RT_BIG", big))),                // far larger
            ([exe, .. Enumerable.Range(0, 2000).Select(i => $"a{i}")], Env([.. Enumerable.Range(0, 500).Select(i => ($"RT_{i}", $"v{i}"))])),
            ([exe, "abort"], Env()),
            ([exe, "raise"], Env(("RT_A", "x"))),
            ([exe, "exit"], Env()),
        };
        foreach (var (args, env) in cases)
        {
            var plain = Plain(args, env);
            var res = RunResident(dir, args, env);
            Assert.True(res.Restored, $"not restored: {res.Why}");
            AssertSame(plain, res);
        }
    }

    [Fact]
    public void ScriptViaInterpreterIsRestored()
    {
        using var dir = new ResidentDir();
        string script = Path.Combine(dir.Path, "s.pl");
        File.WriteAllText(script, "#!/usr/bin/perl\nprint \"script @ARGV $0\\n\";\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Register(dir, ["/usr/bin/perl", "-e", "1"], Env());
        var plain = Plain([script, "x", "y"], Env());
        var res = RunResident(dir, [script, "x", "y"], Env());
        Assert.True(res.Restored, res.Why);
        AssertSame(plain, res);
    }

    [Fact]
    public void PerlRestoredEqualsPlain()
    {
        using var dir = new ResidentDir();
        Register(dir, ["/usr/bin/perl", "-e", "1"], Env(("RT_A", "1")));
        foreach (var (args, env) in new (string[], Dictionary<string, string>)[]
        {
            (["/usr/bin/perl", "-e", "print qq{$0 @ARGV $ENV{RT_X}\\n}; print scalar(keys %ENV), qq{\\n}", "a", "b"], Env(("RT_X", "hello"))),
            (["/usr/bin/perl", "-le", "print for sort map { $_ * 3 } 1..20; $0 = q{renamed}; print $0; die qq{bye\\n}"], Env([.. Enumerable.Range(0, 300).Select(i => ($"E{i}", new string('e', i)))])),
            (["/usr/bin/perl", "-e", "my %h; $h{$_}++ for split //, join q{}, @ARGV; print join(q{,}, map {qq{$_=$h{$_}}} sort keys %h), qq{\\n}; exit 3", new string('q', 50_000), "abc"], Env()),
        })
        {
            var plain = Plain(args, env);
            var res = RunResident(dir, args, env);
            Assert.True(res.Restored, res.Why);
            AssertSame(plain, res);
        }
    }

    [Fact]
    public void Python3RestoredEqualsPlain()
    {
        using var dir = new ResidentDir();
        string[] args = ["/usr/bin/python3", "-S", "-c", "import sys, os; print(sys.argv, os.environ.get('RT_P'), len(os.environ)); sys.exit(5)", "arg1"];
        var env = Env(("RT_P", "snake"));
        Register(dir, ["/usr/bin/python3", "-S", "-c", "pass"], Env());
        var plain = Plain(args, env);
        var res = RunResident(dir, args, env);
        Assert.True(res.Restored, res.Why);
        AssertSame(plain, res);
    }

    [Theory]
    [InlineData("/bin/ls", new[] { "-l", "/etc/ld.so.cache", "/bin/true" })]
    [InlineData("/bin/true", new string[0])]
    [InlineData("/bin/ls", new[] { "/" })]
    [InlineData("/bin/cat", new[] { "/etc/hostname", "/nonexistent" })]
    [InlineData("/usr/bin/sort", new[] { "-r" })]
    public void CoreutilsRestoredEqualsPlain(string program, string[] args)
    {
        using var dir = new ResidentDir();
        Register(dir, [program, "--version"], Env(("RT_REG", "1")));
        var env = Env(("LC_ALL", "C"));
        var plain = Plain([program, .. args], env, "b\na\nc\n");
        var res = RunResident(dir, [program, .. args], env, "b\na\nc\n");
        Assert.True(res.Restored, res.Why);
        AssertSame(plain, res);
    }
}
