// String instructions against values recorded natively (probe: the same register setup and
// encodings run on the host CPU, see the Case table). Covers overlap patterns that the bulk
// rep movs/stos paths must reproduce, DF both ways, rcx = 0, and repe/repne termination.
using Iced.Intel;
using Jitexec.Translator.Core;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Data;

public class StringOpsTests
{
    // op: 0 movs 1 stos 2 lods 3 cmps 4 scas; rep: 0 none, 1 rep/repe (F3), 2 repne (F2).
    // Buffer: buf[i] = i*7+1 for i < 64, then buf[41] = 0x99, buf[44] = 0x3b. rsi/rdi are
    // offsets into it; rax = 0x1122334455667788 ^ (k * 0x0101010101010101) (scas: low byte
    // replaced by buf[di], or buf[di+5] for repne). Flags masked with 0x8d5 (OF DF SF ZF AF PF CF)
    // are read after cld; before the op they are those of `cmp df, 0`.
    private record struct Case(int Op, int Size, int Rep, int Df, int Si, int Di, int Cnt,
        ulong ExpSi, ulong ExpDi, ulong ExpCx, ulong ExpAx, ulong ExpFlags, string ExpBuf);

    private static readonly Case[] Cases =
    [
        new(0,1,1,0,0,1,40, 0x28,0x29,0x0,0x1122334455667788,0x44,"010101010101010101010101010101010101010101010101010101010101010101010101010101010199272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(0,1,1,0,0,3,40, 0x28,0x2b,0x0,0x1023324554677689,0x44,"01080f01080f01080f01080f01080f01080f01080f01080f01080f01080f01080f01080f01080f01080f012e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(0,8,1,0,0,8,5, 0x28,0x30,0x0,0x132031465764758a,0x44,"01080f161d242b3201080f161d242b3201080f161d242b3201080f161d242b3201080f161d242b3201080f161d242b3251585f666d747b828990979ea5acb3ba"),
        new(0,8,1,0,0,4,5, 0x28,0x2c,0x0,0x122130475665748b,0x44,"01080f1601080f161d242b321d242b32555c636a555c636a8d949ba28d949ba2c5ccd3dac5ccd3dafd040b123b3c434a51585f666d747b828990979ea5acb3ba"),
        new(0,4,1,0,0,6,7, 0x1c,0x22,0x0,0x152637405162738c,0x44,"01080f161d2401080f161d2401080f161d2401080f161d2401080f161d2401080f16eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(0,2,1,0,0,1,9, 0x12,0x13,0x0,0x142736415063728d,0x44,"0101080816162424323240404e4e5c5c6a6a78868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(0,1,1,0,8,0,40, 0x30,0x28,0x0,0x172435425360718e,0x44,"3940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a1999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(0,8,1,0,16,0,5, 0x38,0x28,0x0,0x162534435261708f,0x44,"71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b821999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(0,4,1,1,40,32,6, 0x10,0x8,0x0,0x192a3b4c5d6e7f80,0x0,"01080f161d242b323940474efd040b121999272efd040b121999272efd040b121999272efd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(0,4,1,1,32,40,6, 0x8,0x10,0x0,0x182b3a4d5c6f7e81,0x0,"01080f161d242b323940474e555c636a71787f86555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff63b3c434a51585f666d747b828990979ea5acb3ba"),
        new(0,1,1,1,48,47,20, 0x1c,0x1b,0x0,0x1b28394e5f6c7d82,0x0,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7be515151515151515151515151515151515151515151585f666d747b828990979ea5acb3ba"),
        new(0,2,1,1,40,41,9, 0x16,0x17,0x0,0x1a29384f5e6d7c83,0x0,"01080f161d242b323940474e555c636a71787f868d949ba2a9a9b0b7bec5ccd3dae1e8eff6fd040b1219992e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(0,8,1,1,0,60,0, 0x0,0x3c,0x0,0x1d2e3f48596a7b84,0x0,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(0,1,0,1,5,9,3, 0x4,0x8,0x3,0x1c2f3e49586b7a85,0x0,"01080f161d242b323924474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(0,8,0,0,5,9,3, 0xd,0x11,0x3,0x1f2c3d4a5b687986,0x44,"01080f161d242b3239242b323940474e55787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(0,1,2,0,0,20,10, 0xa,0x1e,0x0,0x1e2d3c4b5a697887,0x44,"01080f161d242b323940474e555c636a71787f8601080f161d242b323940d3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(1,1,1,0,0,3,17, 0x0,0x14,0x0,0x132235445766798,0x44,"01080f98989898989898989898989898989898988d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(1,2,1,1,0,40,7, 0x0,0x1a,0x0,0x33225544776699,0x0,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7be9966996699669966996699669966272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(1,4,1,0,0,5,5, 0x0,0x19,0x0,0x33021564774659a,0x44,"01080f161d9a6574479a6574479a6574479a6574479a657447b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(1,8,1,1,0,56,4, 0x0,0x18,0x0,0x23120574675649b,0x0,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3da9b647546572031029b647546572031029b647546572031029b64754657203102"),
        new(1,8,1,0,0,1,0, 0x0,0x1,0x0,0x53627504172639c,0x44,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(1,8,0,1,0,9,3, 0x0,0x1,0x3,0x43726514073629d,0x0,"01080f161d242b32399d62734051263704787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(2,1,1,0,3,0,5, 0x8,0x0,0x0,0x734255243706132,0x44,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(2,2,1,1,30,0,5, 0x14,0x0,0x0,0x63524534271a29b,0x0,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(2,4,0,0,7,0,5, 0xb,0x0,0x5,0x47403932,0x44,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(2,8,1,0,1,0,3, 0x19,0x0,0x0,0xa9a29b948d867f78,0x44,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(3,1,1,0,0,32,20, 0x1,0x21,0x13,0xb38295e4f7c6d92,0x1,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(3,1,2,0,0,32,20, 0x14,0x34,0x0,0xa39285f4e7d6c93,0x800,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(3,2,1,1,20,52,8, 0x12,0x32,0x7,0xd3e2f58497a6b94,0x800,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(3,4,2,1,16,48,4, 0x0,0x20,0x0,0xc3f2e59487b6a95,0x0,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(3,8,0,0,3,35,1, 0xb,0x2b,0x1,0xf3c2d5a4b786996,0x0,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(3,1,1,0,0,32,0, 0x0,0x20,0x0,0xe3d2c5b4a796897,0x44,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(4,1,2,0,0,3,30, 0x0,0x9,0x18,0x3102136475465739,0x44,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(4,1,1,0,0,0,30, 0x0,0x2,0x1c,0x3003126574475601,0x95,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(4,2,2,1,0,40,10, 0x0,0x14,0x0,0x330011667744553c,0x881,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(4,4,1,0,0,1,5, 0x0,0x5,0x4,0x3201106776455408,0x4,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(4,8,0,1,0,8,1, 0x0,0x0,0x1,0x3506176071425339,0x85,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
        new(4,1,2,0,0,0,0, 0x0,0x0,0x0,0x3407166170435224,0x44,"01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121999272e3b3c434a51585f666d747b828990979ea5acb3ba"),
    ];

    private static byte[] Encoding(int op, int size, int rep)
    {
        var b = new List<byte>();
        if (rep == 1) b.Add(0xF3);
        if (rep == 2) b.Add(0xF2);
        if (size == 2) b.Add(0x66);
        if (size == 8) b.Add(0x48);
        byte baseOp = op switch { 0 => 0xA4, 1 => 0xAA, 2 => 0xAC, 3 => 0xA6, _ => 0xAE };
        b.Add((byte)(baseOp + (size == 1 ? 0 : 1)));
        return b.ToArray();
    }

    [Fact]
    public void MatchesNativeResults()
    {
        lock (GuestRunner.Gate)
        {
            var g = GuestRunner.Shared;
            for (int k = 0; k < Cases.Length; k++)
            {
                var c = Cases[k];
                var buf = g.Buffer(64);
                for (int i = 0; i < 64; i++) buf[i] = (byte)(i * 7 + 1);
                buf[41] = 0x99; buf[44] = 0x3b;
                ulong rax = 0x1122334455667788UL ^ ((ulong)k * 0x0101010101010101UL);
                if (c.Op == 4) rax = (rax & ~0xFFUL) | buf[c.Di + (c.Rep == 2 ? 5 : 0)];
                var cpu = g.Run(a =>
                {
                    var skip = a.CreateLabel();
                    a.mov(r8d, c.Df);
                    a.cmp(r8d, 0);
                    a.je(skip);
                    a.std();
                    a.Label(ref skip);
                    a.db(Encoding(c.Op, c.Size, c.Rep));
                    a.cld();
                    a.pushfq();
                    a.pop(r9);
                    a.mov(r10, rcx); // syscall clobbers rcx
                }, cpu =>
                {
                    cpu.R[Reg.Rsi] = GuestRunner.Buf + (ulong)c.Si;
                    cpu.R[Reg.Rdi] = GuestRunner.Buf + (ulong)c.Di;
                    cpu.R[Reg.Rcx] = (ulong)c.Cnt;
                    cpu.R[Reg.Rax] = rax;
                });
                string what = $"case {k}: {c}";
                Assert.True(c.ExpSi == cpu.R[Reg.Rsi] - GuestRunner.Buf, $"rsi {what}");
                Assert.True(c.ExpDi == cpu.R[Reg.Rdi] - GuestRunner.Buf, $"rdi {what}");
                Assert.True(c.ExpCx == cpu.R[Reg.R10], $"rcx {cpu.R[Reg.R10]:x} {what}");
                Assert.True(c.ExpAx == cpu.R[Reg.Rax], $"rax {what}");
                Assert.True(c.ExpFlags == (cpu.R[Reg.R9] & 0x8d5), $"flags {cpu.R[Reg.R9]:x} {what}");
                Assert.Equal(c.ExpBuf, Convert.ToHexStringLower(g.Buffer(64)));
            }
        }
    }
}

public class StringBulkConsistencyTests
{
    // The bulk rep movs/stos paths (64-bit addressing) against the element loop (taken with a
    // 0x67 prefix), whose per-element semantics MatchesNativeResults checks natively.
    [Fact]
    public void BulkPathsMatchElementLoop()
    {
        lock (GuestRunner.Gate)
        {
            var g = GuestRunner.Shared;
            var rng = new Random(1234);
            for (int iter = 0; iter < 300; iter++)
            {
                int op = rng.Next(2), size = 1 << rng.Next(4), df = rng.Next(4) == 0 ? 1 : 0;
                int cnt = rng.Next(4) == 0 ? rng.Next(4) : rng.Next(2000 / size);
                int si = rng.Next(4096, 12288), di = rng.Next(3) == 0 ? si + rng.Next(-40, 40) : rng.Next(4096, 12288);
                var init = new byte[16384];
                rng.NextBytes(init);
                ulong rax = (ulong)rng.NextInt64();
                if (rng.Next(2) == 0) rax = 0x0101010101010101UL * (byte)rax;
                byte[] enc = [ (byte)0xF3, .. size == 2 ? new byte[] { 0x66 } : size == 8 ? [0x48] : [],
                    (byte)((op == 0 ? 0xA4 : 0xAA) + (size == 1 ? 0 : 1)) ];
                (ulong, ulong, ulong, string) RunOnce(bool addr32)
                {
                    init.CopyTo(g.Buffer(16384));
                    var cpu = g.Run(a =>
                    {
                        if (df == 1) a.std();
                        if (addr32) a.db(0x67);
                        a.db(enc);
                        a.cld();
                        a.mov(r10, rcx);
                    }, cpu =>
                    {
                        cpu.R[Reg.Rsi] = GuestRunner.Buf + (ulong)si;
                        cpu.R[Reg.Rdi] = GuestRunner.Buf + (ulong)di;
                        cpu.R[Reg.Rcx] = (ulong)cnt;
                        cpu.R[Reg.Rax] = rax;
                    });
                    return (cpu.R[Reg.Rsi], cpu.R[Reg.Rdi], cpu.R[Reg.R10], Convert.ToHexString(g.Buffer(16384)));
                }
                var bulk = RunOnce(false);
                var loop = RunOnce(true);
                Assert.True(bulk == loop, $"iter {iter}: op {op} size {size} df {df} cnt {cnt} si {si} di {di}");
            }
        }
    }
}

public class StringAddr32Tests
{
    // 0x67 forms: rsi = 0xAAAA_0000_0000|buf, rdi = 0xBBBB_0000_0000|buf+64, rcx = 0xCCCC_0000_0000|cnt.
    // Expected (native): which of rsi/rdi/rcx come back zero-extended, as offsets from buf
    // (or unchanged, marked with the original high half).
    [Theory]
    [InlineData(new byte[] { 0xF3, 0xA4 }, 0, 0x0UL, 0x40UL, 0UL)]                                   // rep movsb, ecx=0
    [InlineData(new byte[] { 0xF3, 0xA4 }, 3, 0x3UL, 0x43UL, 0UL)]
    [InlineData(new byte[] { 0xF3, 0xAA }, 0, 0xAAAA00000000UL, 0x40UL, 0UL)]                         // rep stosb
    [InlineData(new byte[] { 0xF3, 0xAA }, 2, 0xAAAA00000000UL, 0x42UL, 0UL)]
    [InlineData(new byte[] { 0xF3, 0xAC }, 0, 0xAAAA00000000UL, 0xBBBB00000040UL, 0UL)]               // rep lodsb
    [InlineData(new byte[] { 0xF3, 0xAC }, 2, 0x2UL, 0xBBBB00000040UL, 0UL)]
    [InlineData(new byte[] { 0xF3, 0xAE }, 0, 0xAAAA00000000UL, 0xBBBB00000040UL, 0UL)]               // repe scasb
    [InlineData(new byte[] { 0xF3, 0xAE }, 2, 0xAAAA00000000UL, 0x42UL, 0UL)]
    [InlineData(new byte[] { 0xF3, 0xA6 }, 0, 0xAAAA00000000UL, 0xBBBB00000040UL, 0UL)]               // repe cmpsb
    [InlineData(new byte[] { 0xF3, 0xA6 }, 2, 0x2UL, 0x42UL, 0UL)]
    [InlineData(new byte[] { 0xAA }, 0, 0xAAAA00000000UL, 0x41UL, 0xCCCC00000000UL)]                  // stosb
    [InlineData(new byte[] { 0xAC }, 0, 0x1UL, 0xBBBB00000040UL, 0xCCCC00000000UL)]                   // lodsb
    [InlineData(new byte[] { 0xAE }, 0, 0xAAAA00000000UL, 0x41UL, 0xCCCC00000000UL)]                  // scasb
    [InlineData(new byte[] { 0xA6 }, 0, 0x1UL, 0x41UL, 0xCCCC00000000UL)]                             // cmpsb
    [InlineData(new byte[] { 0xA4 }, 0, 0x1UL, 0x41UL, 0xCCCC00000000UL)]                             // movsb
    public void Addr32WriteBack(byte[] enc, int cnt, ulong expSi, ulong expDi, ulong expCx)
    {
        lock (GuestRunner.Gate)
        {
            const ulong b = GuestRunner.Buf;
            GuestRunner.Shared.Buffer(128).Clear();
            var cpu = GuestRunner.Shared.Run(a => { a.db(0x67); a.db(enc); a.mov(r10, rcx); }, c =>
            {
                c.R[Reg.Rsi] = 0xAAAA00000000UL | b; c.R[Reg.Rdi] = 0xBBBB00000000UL | (b + 64);
                c.R[Reg.Rcx] = 0xCCCC00000000UL | (uint)cnt; c.R[Reg.Rax] = 0xDDDD000000000000UL;
            });
            Assert.Equal(expSi, cpu.R[Reg.Rsi] - b);
            Assert.Equal(expDi, cpu.R[Reg.Rdi] - b);
            Assert.Equal(expCx, cpu.R[Reg.R10]);
            Assert.Equal(0xDDDD000000000000UL, cpu.R[Reg.Rax]);
        }
    }
}
