// Lists the mnemonics of the baseline census (/work/shared/data/mnemonics_baseline.tsv,
// or $JITEXEC_MNEMONICS) that have no handler in HandlerRegistry.Default. It fails while
// any are missing; filter it out with --filter "Category!=Coverage" until all families land.
using Iced.Intel;
using Jitexec.Translator.Semantics;
using Xunit;
using Xunit.Abstractions;

namespace Jitexec.Tests.Differential;

public unsafe class CoverageTests(ITestOutputHelper output)
{
    private static string CensusPath =>
        Environment.GetEnvironmentVariable("JITEXEC_MNEMONICS") ?? "/work/shared/data/mnemonics_baseline.tsv";

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

    [Fact, Trait("Category", "Coverage")]
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
            if (!Enum.TryParse<Mnemonic>(name, ignoreCase: true, out var m)) unknown.Add(name);
            else if (!Implemented(m)) missing.Add(name);
        }
        output.WriteLine($"{missing.Count} of {total} baseline mnemonics have no handler: {string.Join(' ', missing)}");
        if (unknown.Count > 0) output.WriteLine($"not Iced mnemonics: {string.Join(' ', unknown)}");
        Assert.True(missing.Count == 0 && unknown.Count == 0,
            $"{missing.Count} of {total} baseline mnemonics have no handler: {string.Join(' ', missing)}" +
            (unknown.Count > 0 ? $"\nnot Iced mnemonics: {string.Join(' ', unknown)}" : ""));
    }
}
