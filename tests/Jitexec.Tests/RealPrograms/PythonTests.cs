// /usr/bin/python3.11 (the ELF itself, never a PATH shim) with -c scripts natively and
// under jitexec: math, json, re, hashlib, zlib, decimal, sqlite3, exceptions.
using Jitexec.Tests.Programs;
using Xunit;
using static Jitexec.Tests.RealPrograms.RealProgram;

namespace Jitexec.Tests.RealPrograms;

public sealed class PythonTests
{
    private const string Python = "/usr/bin/python3.11";
    private static readonly Dictionary<string, string> Env = new() { ["PYTHONHASHSEED"] = "0", ["PYTHONDONTWRITEBYTECODE"] = "1" };

    private static RunResult Py(string script, int expectExit = 0, params string[] args) =>
        Same(Python, ["-c", script, .. args], env: Env, expectExit: expectExit);

    [Fact]
    public void MathAndNumbers() => Py("""
        import math, fractions, statistics, sys
        print(math.pi, math.e, math.sqrt(2), math.sin(1), math.log(10), math.exp(-3), math.atan2(1, 2))
        print(0.1 + 0.2, 1 / 3, 2 ** 0.5, 1e308 * 10, -0.0, float('nan'), 7 // -2, -7 % 3, divmod(17, 5))
        print(2 ** 200, math.factorial(30), math.comb(50, 25), math.gcd(2**40, 6**20), pow(3, 1000, 10**9 + 7))
        print(repr(1.1), f"{1234567.891:,.2f}", f"{255:#x} {255:#o} {255:b}", format(1e-7, '.3e'), round(2.675, 2))
        print(fractions.Fraction(3, 7) + fractions.Fraction(1, 3), statistics.mean([1, 2, 3.5]), statistics.median([5, 1, 4]))
        print(math.fsum([0.1] * 10), sum([0.1] * 10), math.isclose(1.0, 1.0 + 1e-10), float.hex(0.1), int('ff', 16))
        print(sys.float_info.max, sys.maxsize, (123456789).bit_length(), complex(1, 2) * complex(3, -1))
        """);

    [Fact]
    public void JsonAndRegex() => Py("""
        import json, re
        doc = {"name": "x", "values": [1, 2.5, None, True, "s\u00e9"], "nested": {"b": [], "a": {}}}
        s = json.dumps(doc, sort_keys=True); print(s); print(json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True))
        back = json.loads(s); print(back["values"][1] * 2, type(back["values"][2]).__name__)
        print(re.findall(r"(\w+)@(\w+)\.com", "a@b.com, c@d.com x@y.org"))
        print(re.sub(r"(?P<n>\d+)", lambda m: str(int(m.group("n")) * 2), "a1 b22 c333"))
        print(re.split(r"[,;]\s*", "a, b;c ,d"), bool(re.fullmatch(r"[A-Z][a-z]+", "Hello")), re.escape("a.b*c"))
        m = re.search(r"(?i)(?<=the )(\w+)", "In THE Beginning"); print(m.group(1), m.span())
        """);

    [Fact]
    public void HashlibZlibDecimal() => Py("""
        import hashlib, zlib, decimal, base64, binascii
        data = bytes(range(256)) * 40
        for name in ("md5", "sha1", "sha256", "sha512", "sha3_256", "blake2b"):
            print(name, hashlib.new(name, data).hexdigest())
        c = zlib.compress(data, 9); print(len(c), zlib.crc32(data), zlib.adler32(data), zlib.decompress(c) == data)
        print(base64.b64encode(c[:30]).decode(), binascii.hexlify(c[-8:]).decode())
        decimal.getcontext().prec = 50
        print(decimal.Decimal(1) / decimal.Decimal(7), decimal.Decimal("2").sqrt(), decimal.Decimal("1.10") + decimal.Decimal("2.205"))
        print(decimal.Decimal("3.14159").quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_EVEN))
        """);

    [Fact]
    public void Sqlite3() => Py("""
        import sqlite3
        db = sqlite3.connect(":memory:")
        db.execute("create table t (id integer primary key, name text, score real)")
        db.executemany("insert into t (name, score) values (?, ?)", [(f"n{i}", i * 1.25) for i in range(100)])
        print(db.execute("select count(*), sum(score), avg(score), max(name) from t").fetchone())
        print(db.execute("select name, score from t where score between 10 and 12 order by score desc").fetchall())
        print(db.execute("select printf('%.3f', 1.0/3), typeof(1.5), 7/2, 7.0/2, hex(zeroblob(4))").fetchone())
        print(sqlite3.sqlite_version_info >= (3, 0, 0))
        """);

    [Fact]
    public void ExceptionsAndExitStatus()
    {
        Py("raise ValueError('bad value')", expectExit: 1);
        Py("import sys; print('out'); sys.stderr.write('err\\n'); sys.exit(42)", expectExit: 42);
        Py("""
            import sys
            def f(n): return f(n + 1) if n < 50 else 1 / 0
            try: f(0)
            except ZeroDivisionError as e: print("caught", type(e).__name__, e)
            try: open("/nonexistent/file")
            except OSError as e: print(e.errno, e.strerror)
            print(sys.argv[1:])
            class E(Exception): pass
            raise E("custom")
            """, 1, "arg one", "2");
    }

    [Fact]
    public void OsAndFiles() => Py("""
        import os, tempfile, pathlib, stat
        with tempfile.TemporaryDirectory() as d:
            p = pathlib.Path(d, "f.txt"); p.write_text("line\n" * 1000)
            os.mkdir(os.path.join(d, "sub")); os.symlink("f.txt", os.path.join(d, "link"))
            print(sorted(os.listdir(d)), p.stat().st_size, stat.S_ISREG(p.stat().st_mode), os.readlink(os.path.join(d, "link")))
            print(sum(1 for _ in open(p)), os.path.getsize(p), os.access(p, os.R_OK | os.W_OK))
            fd = os.open(p, os.O_RDONLY); os.lseek(fd, 10, 0); print(os.read(fd, 9)); os.close(fd)
            os.rename(p, os.path.join(d, "g.txt")); print(sorted(e.name for e in os.scandir(d)))
        print(os.getcwd() == os.path.realpath("."), os.environ.get("PYTHONHASHSEED"), os.cpu_count() >= 1)
        """);
}
