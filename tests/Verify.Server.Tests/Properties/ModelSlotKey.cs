namespace Verify.Server.Tests.Properties;

/// <summary>A number (an index into the test's numbers) and a purpose: one send log for every caller; per caller, one live verification at most, one cooldown, one lockout.</summary>
internal readonly record struct ModelSlotKey(int Number, string Purpose)
{
    public override string ToString() => $"#{Number}/{Purpose}";
}
