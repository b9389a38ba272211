namespace Verify.Server.Security;

/// <summary>What a caller may be allowed to do; configured by these names in lower case.</summary>
internal enum CallerOperation
{
    Start,
    Check,
    Get,
    Cancel,
}
