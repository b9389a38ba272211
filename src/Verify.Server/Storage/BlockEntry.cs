namespace Verify.Server.Storage;

/// <summary>A pumping block: "prefix" or "country", the key, and when it ends.</summary>
internal sealed record BlockEntry(string Scope, string Key, DateTimeOffset Until);
