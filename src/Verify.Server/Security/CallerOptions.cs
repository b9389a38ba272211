namespace Verify.Server.Security;

/// <summary>One calling service, <c>Verify:Callers:&lt;name&gt;</c>. The name is the subject CN of its client certificate.</summary>
internal sealed class CallerOptions
{
    /// <summary>
    /// SHA-256 of each API key the caller may present as <c>authorization: Bearer &lt;key&gt;</c>, as 64
    /// hex digits. Only hashes are configured, never keys. Several allow a rotation. Defaults to none.
    /// </summary>
    public List<string> ApiKeyHashes { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. <c>10.1.0.0/16</c>) the caller may call from. Defaults to none: anywhere.</summary>
    public List<string> Networks { get; set; } = [];

    /// <summary>The purposes it may use, or <c>*</c> for all. Defaults to none.</summary>
    public List<string> Purposes { get; set; } = [];

    /// <summary><c>start</c>, <c>check</c>, <c>get</c>, <c>cancel</c>, or <c>*</c>. Defaults to none.</summary>
    public List<string> Operations { get; set; } = [];

    /// <summary>Whether it may use the admin service. Defaults to false.</summary>
    public bool Admin { get; set; }
}
