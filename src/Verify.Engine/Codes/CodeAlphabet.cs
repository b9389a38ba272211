namespace Verify.Engine.Codes;

internal enum CodeAlphabet
{
    /// <summary>0-9: what users expect and SMS autofill recognises.</summary>
    Digits,

    /// <summary>Capital letters and digits without look-alikes (no 0 O 1 I L): more entropy per character.</summary>
    Alphanumeric,
}
