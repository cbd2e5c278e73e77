// Differential cases for Semantics/Data/Strings.cs: movs stos lods cmps scas at 8/16/32/64
// bits, plain, F3 (rep/repe) and F2 (repne) prefixed, with DF clear and set (std ... cld,
// so the sequence always ends with DF=0). rsi/rdi point into the 256-byte buffer so every
// element stays inside it; rcx is a small count (0 included). Overlapping movs (rdi just
// above or below rsi) exercise the bulk copy paths; cmps/scas inputs are biased so
// repe/repne runs go on for several elements. xlat with rbx at the buffer.
// Not here: the 0x67 address-size forms (the sandbox lies above 4 GiB; see
// tests/Data/StringOpsTests.cs) and fs/gs overrides (the host fs base is not the guest's).
using Iced.Intel;
using Xunit;

namespace Jitexec.Tests.Differential.Cases;

public class StringCases
{
    private static readonly string[] Ops = ["movs", "stos", "lods", "cmps", "scas"];
    private static readonly int[] Sizes = [1, 2, 4, 8];

    public static readonly CaseSet Cases = Build();

    private static byte[] Encoding(int op, int size, int prefix)
    {
        var b = new List<byte>();
        if (prefix == 1) b.Add(0xF3);
        if (prefix == 2) b.Add(0xF2);
        if (size == 2) b.Add(0x66);
        if (size == 8) b.Add(0x48);
        byte baseOp = op switch { 0 => 0xA4, 1 => 0xAA, 2 => 0xAC, 3 => 0xA6, _ => 0xAE };
        b.Add((byte)(baseOp + (size == 1 ? 0 : 1)));
        return b.ToArray();
    }

    /// <summary>Pick rcx, rsi, rdi so all elements lie in the buffer, and bias data for cmps/scas.</summary>
    private static void Place(MachineState s, Random r, int op, int size, int prefix, bool df)
    {
        const int N = Sandbox.BufferSize;
        int n = prefix == 0 ? 1 : r.Next(4) == 0 ? r.Next(3) : r.Next(1, 16);
        int span = Math.Max(n, 1) * size;
        // DF=0: elements at p, p+size, ...; DF=1: p, p-size, ... (lowest at p - span + size).
        int Pick() => df ? r.Next(span - size, N - size + 1) : r.Next(0, N - span + 1);
        int si = Pick(), di = Pick();
        if (op == 0 && r.Next(3) == 0)
        {
            // Overlap: rdi a few bytes from rsi, clamped so both stay valid.
            di = Math.Clamp(si + r.Next(-2 * size - 3, 2 * size + 4), df ? span - size : 0, df ? N - size : N - span);
        }
        if (prefix != 0) s.Gpr[1] = (ulong)n; else if (r.Next(2) == 0) s.Gpr[1] = (ulong)r.Next(0, 3);
        s.Gpr[6] = Sandbox.Buffer + (ulong)si;
        s.Gpr[7] = Sandbox.Buffer + (ulong)di;
        if (op < 3) return;
        // cmps/scas: make a prefix of the run equal (repe) or put a match somewhere (repne).
        int equalRun = r.Next(0, Math.Max(n, 1) + 1);
        for (int i = 0; i < Math.Max(n, 1); i++)
        {
            int so = df ? si - i * size : si + i * size, dO = df ? di - i * size : di + i * size;
            bool same = prefix == 2 ? i == equalRun : i < equalRun;
            if (!same) continue;
            if (op == 3) Array.Copy(s.Buffer, so, s.Buffer, dO, size);
            else for (int k = 0; k < size; k++) s.Buffer[dO + k] = (byte)(s.Gpr[0] >> (8 * k));
        }
    }

    private static CaseSet Build()
    {
        var set = new CaseSet();
        for (int op = 0; op < Ops.Length; op++)
            foreach (int size in Sizes)
                for (int prefix = 0; prefix < 3; prefix++)
                    foreach (bool df in new[] { false, true })
                    {
                        int o = op, sz = size, p = prefix;
                        byte[] enc = Encoding(op, size, prefix);
                        string suffix = size switch { 1 => "b", 2 => "w", 4 => "d", _ => "q" };
                        string name = $"{(prefix == 1 ? (op >= 3 ? "repe " : "rep ") : prefix == 2 ? "repne " : "")}{Ops[op]}{suffix}{(df ? " (DF=1)" : "")}";
                        set.Add(new DiffCase(a =>
                        {
                            if (df) a.std();
                            a.db(enc);
                            if (df) a.cld();
                        }, name).With((s, r) => Place(s, r, o, sz, p, df)).Iter(150));
                    }
        // Long overlapping copies: memset-like patterns through the bulk path.
        foreach (int size in Sizes)
        {
            int sz = size;
            byte[] enc = Encoding(0, size, 1);
            set.Add(new DiffCase(a => a.db(enc), $"rep movs{size * 8} overlap forward long").With((s, r) =>
            {
                int d = r.Next(1, 3 * sz + 1), n = r.Next(1, (200 - d) / sz);
                int si = r.Next(0, Sandbox.BufferSize - n * sz - d + 1);
                s.Gpr[1] = (ulong)n; s.Gpr[6] = Sandbox.Buffer + (ulong)si; s.Gpr[7] = Sandbox.Buffer + (ulong)(si + d);
            }));
        }
        set.Add(new DiffCase(a => a.xlatb()).PointAtBuffer(Register.RBX));
        return set;
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
