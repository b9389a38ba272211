namespace Verify.Engine.Configuration;

/// <summary>
/// Which destination countries a purpose may send to (ISO 3166-1 alpha-2, e.g. <c>CN</c>): all
/// when <see cref="Allow"/> is empty, else only those; never those in <see cref="Deny"/>. A number
/// elsewhere is refused PERMISSION_DENIED before any counter moves.
/// </summary>
internal sealed class CountryPermissions
{
    /// <summary>Defaults to none: every country.</summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>Defaults to none.</summary>
    public List<string> Deny { get; set; } = [];
}
