namespace Verify.Server.Validation;

/// <summary>Keys of values a validator parsed and leaves for the service, so nothing is parsed twice.</summary>
internal static class ValidationKeys
{
    public const string Phone = "phone";
    public const string Policy = "policy";
}
