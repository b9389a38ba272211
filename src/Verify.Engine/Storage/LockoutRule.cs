namespace Verify.Engine.Storage;

/// <summary>Wrong codes in a row (across verifications of a number and purpose) that lock the number out, and for how long.</summary>
internal sealed record LockoutRule(int MaxFailures, TimeSpan Duration);
