// grep, sed and awk (mawk, Debian's default awk) with regexes and numeric output,
// natively and under jitexec.
using Xunit;
using static Jitexec.Tests.RealPrograms.RealProgram;

namespace Jitexec.Tests.RealPrograms;

public sealed class TextToolsTests
{
    private static readonly string Passwd = string.Join("", Enumerable.Range(0, 40).Select(i =>
        $"user{i}:x:{1000 + i * 37}:{100 + i % 5}:User Number {i},room {i * 3 % 17}:/home/user{i}:/bin/{(i % 3 == 0 ? "bash" : "sh")}\n"));

    [Theory]
    [InlineData("-E", "-n", "user(1|2)[0-9]?:x:[0-9]{4}:")]
    [InlineData("-c", "-v", "bash$")]
    [InlineData("-o", "-i", "-E", "NUMBER [0-9]+")]
    [InlineData("-P", "(?<=room )1[0-6]\\b")]
    [InlineData("-w", "-F", "-e", "room 3", "-e", "user7")]
    [InlineData("-x", "nomatch")]
    public void Grep(params string[] args) =>
        Same("grep", args, stdin: Passwd, expectExit: args.Contains("nomatch") ? 1 : 0);

    [Theory]
    [InlineData("-E", "s/^([a-z]+)([0-9]+):x:([0-9]+)/\\3=\\1#\\2/")]
    [InlineData("-n", "/room 1[0-9]/{s/User Number/U/;p}")]
    [InlineData("1~3d;s/:/ /g;y/abc/XYZ/")]
    [InlineData("-E", "$!N;s/\\n/ | /;P;D")]
    [InlineData("-z", "s/\\n/;/g")]
    public void Sed(params string[] args) => Same("sed", args, stdin: Passwd);

    [Fact]
    public void AwkFieldsAndArithmetic() => Same("mawk", ["-F:", """
        { uid += $3; n[$7]++; if ($3 > max) max = $3 }
        $3 % 7 == 0 { printf "%-8s %6d %10.4f %e %x %o %c|\n", $1, $3, $3 / 7, $3 * 1.5e10, $3, $3, 65 + NR % 26 }
        END {
          for (k in n) out = out sprintf("%s=%d ", k, n[k])
          print uid, max, uid / NR, int(uid / 3), uid % 11
          printf "%.10g %.10g %.10g %.10g %.6f\n", sin(1), cos(2), atan2(1, 2), exp(3), log(10)
          printf "%.17g %d %s %s\n", 0.1 + 0.2, 2^31, 2^53 + 1, 1e300 * 10
          print (length(out) > 0), substr("abcdef", 2, 3), index("hello", "ll"), toupper("mixed Case")
          s = "a1b22c333"; gsub(/[0-9]+/, "<&>", s); print s, match("foobar", /o+b/), RSTART, RLENGTH
          print split("a,b,,c", parts, ","), parts[4]
        }
        """], stdin: Passwd);

    [Fact]
    public void AwkNumericConversionsAndSort() => Same("mawk", ["""
        BEGIN {
          x = "3.0e2abc" + 0; y = " 12 " * 2; z = "0x1A" + 0
          print x, y, z, 1/3, -1/3, 100000 * 100000, 123456789012, 0.000001234
          OFMT = "%.2f"; print 3.14159, 2.71828; CONVFMT = "%.3g"; a = 3.14159 ""; print a
          for (i = 1; i <= 5; i++) v[i] = (i * 7919) % 13
          for (i = 1; i <= 5; i++) for (j = i + 1; j <= 5; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
          for (i = 1; i <= 5; i++) printf "%d ", v[i]; print ""
          srand(42); r = rand(); print (r >= 0 && r < 1)
          exit 3
        }
        """], expectExit: 3);
}
