// A named collection of cases for one family, exposed to xunit as Theory data over
// (case name, tier) so every case runs, and is reported, separately in every tier.
// Usage: static readonly CaseSet Cases = new() { c => c.add(rax, rbx), new DiffCase(...).In(rax) };
//        public static TheoryData<string, Tier> Data => Cases.Data();
//        [Theory, MemberData(nameof(Data))] public void Diff(string name, Tier tier) => Cases.Run(name, tier);
using System.Collections;
using Iced.Intel;
using Xunit;

namespace Jitexec.Tests.Differential;

public sealed class CaseSet : IEnumerable<DiffCase>
{
    private readonly List<DiffCase> _cases = [];
    private Dictionary<string, DiffCase>? _byName;

    public void Add(DiffCase c) { _cases.Add(c); _byName = null; }
    public void Add(Action<Assembler> code) => Add(new DiffCase(code));
    public void Add(IEnumerable<DiffCase> cases) { foreach (var c in cases) Add(c); }

    private Dictionary<string, DiffCase> ByName()
    {
        if (_byName != null) return _byName;
        var d = new Dictionary<string, DiffCase>();
        foreach (var c in _cases)
        {
            string name;
            try
            {
                name = c.Name;
            }
            catch (Exception e)
            {
                // A case that does not assemble becomes a failing row instead of hiding the whole set.
                name = $"BROKEN CASE #{d.Count}: {e.Message}";
                var broken = new DiffCase(_ => throw new InvalidOperationException(e.Message, e), name);
                d[name] = broken;
                continue;
            }
            for (int k = 2; d.ContainsKey(name); k++) name = $"{c.Name} #{k}";
            if (name != c.Name) c.Named(name);
            d[name] = c;
        }
        return _byName = d;
    }

    public TheoryData<string, Tier> Data()
    {
        var t = new TheoryData<string, Tier>();
        foreach (var name in ByName().Keys)
            foreach (var tier in Tiers.All)
                t.Add(name, tier);
        return t;
    }

    public void Run(string name, Tier tier) => DiffRunner.Run(ByName()[name], tier);

    public IEnumerator<DiffCase> GetEnumerator() => _cases.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
