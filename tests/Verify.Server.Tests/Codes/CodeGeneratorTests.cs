using Verify.Engine.Codes;

namespace Verify.Server.Tests.Codes;

public sealed class CodeGeneratorTests
{
    [Theory]
    [InlineData("Digits", 4)]
    [InlineData("Digits", 10)]
    [InlineData("Alphanumeric", 8)]
    public void Generate_HasTheLengthAndOnlyAlphabetCharacters(string alphabetName, int length)
    {
        var alphabet = Enum.Parse<CodeAlphabet>(alphabetName);
        for (var i = 0; i < 200; i++)
        {
            var code = CodeGenerator.Generate(alphabet, length);

            Assert.Equal(length, code.Length);
            Assert.True(CodeGenerator.Fits(code, alphabet));
        }
    }

    [Fact]
    public void Generate_Alphanumeric_NeverUsesLookAlikes()
    {
        var all = string.Concat(Enumerable.Range(0, 500).Select(_ => CodeGenerator.Generate(CodeAlphabet.Alphanumeric, 10)));

        Assert.DoesNotContain('0', all);
        Assert.DoesNotContain('O', all);
        Assert.DoesNotContain('1', all);
        Assert.DoesNotContain('I', all);
        Assert.DoesNotContain('L', all);
    }

    [Fact]
    public void Generate_Digits_EachDigitAppearsAboutEquallyOften()
    {
        // 60,000 digits: each expected 6,000 times; a uniform source lands within ±10% with overwhelming probability.
        var counts = new int[10];
        for (var i = 0; i < 10_000; i++)
        {
            foreach (var c in CodeGenerator.Generate(CodeAlphabet.Digits, 6))
            {
                counts[c - '0']++;
            }
        }

        Assert.All(counts, count => Assert.InRange(count, 5_400, 6_600));
    }

    [Fact]
    public void EntropyBits_SixDigits_IsAboutTwentyBits() =>
        Assert.InRange(CodeGenerator.EntropyBits(CodeAlphabet.Digits, 6), 19.9, 20.0);

    [Fact]
    public void Normalize_UpperCasesLetters() => Assert.Equal("AB3C", CodeGenerator.Normalize("ab3C"));
}
