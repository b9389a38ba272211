namespace Verify.Server.Tests.Properties;

/// <summary>Which answer an operation got, across start, check, get and cancel.</summary>
internal enum ObservedKind
{
    Started,
    Throttled,
    NotFound,
    Malformed,
    Checked,
    Canceled,
    NotPending,
    Got,
    Nothing,
    TimeMoved,

    /// <summary>Anything the model never answers (a refused country, a failed send, a legacy code): always a disagreement.</summary>
    Unexpected,
}
