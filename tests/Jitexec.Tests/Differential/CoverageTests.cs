// Every mnemonic of the baseline census (tests/data/mnemonics_baseline.tsv, a copy of the
// measured workload census in shared/data; or $JITEXEC_MNEMONICS) must have a handler in
// HandlerRegistry.Default. The census uses objdump spellings for a few instructions.
using Iced.Intel;
using Jitexec.Translator.Semantics;
using Xunit;
using Xunit.Abstractions;

namespace Jitexec.Tests.Differential;

public unsafe class CoverageTests(ITestOutputHelper output)
{
    private static string CensusPath =>
        Environment.GetEnvironmentVariable("JITEXEC_MNEMONICS")
        ?? Path.Combine(Programs.Repo.Root, "tests", "data", "mnemonics_baseline.tsv");

    /// <summary>objdump names that Iced spells differently (cmpnlesd is cmpsd with predicate 6).</summary>
    private static readonly Dictionary<string, Mnemonic> Aliases = new()
    {
        ["movabs"] = Mnemonic.Mov,
        ["cmpnlesd"] = Mnemonic.Cmpsd,
    };

    private static readonly Code[] AllCodes = Enum.GetValues<Code>();

    /// <summary>A handler for the whole mnemonic, or for at least one of its encodings.</summary>
    private static unsafe bool Implemented(Mnemonic m)
    {
        if (HandlerRegistry.Default.Implements(m)) return true;
        foreach (var code in AllCodes)
            if (code.Mnemonic() == m && HandlerRegistry.Default.Lookup(new Instruction { Code = code }) != null)
                return true;
        return false;
    }

    [Fact]
    public void EveryBaselineMnemonicHasAHandler()
    {
        Assert.True(File.Exists(CensusPath), $"census file {CensusPath} not found");
        var missing = new List<string>();
        var unknown = new List<string>();
        int total = 0;
        foreach (var line in File.ReadLines(CensusPath).Skip(1))
        {
            var name = line.Split('\t')[0].Trim();
            if (name.Length == 0) continue;
            total++;
            if (!Aliases.TryGetValue(name, out var m) && !Enum.TryParse(name, ignoreCase: true, out m)) unknown.Add(name);
            else if (!Implemented(m)) missing.Add(name);
        }
        output.WriteLine($"{missing.Count} of {total} baseline mnemonics have no handler: {string.Join(' ', missing)}");
        if (unknown.Count > 0) output.WriteLine($"not Iced mnemonics: {string.Join(' ', unknown)}");
        Assert.True(missing.Count == 0 && unknown.Count == 0,
            $"{missing.Count} of {total} baseline mnemonics have no handler: {string.Join(' ', missing)}" +
            (unknown.Count > 0 ? $"\nnot Iced mnemonics: {string.Join(' ', unknown)}" : ""));
    }
}
