namespace Verify.Server.Tests.Properties;

/// <summary>What a check types, as a user might.</summary>
internal enum CodeChoice
{
    /// <summary>The code of the last SMS the number got for the purpose (another caller's, an older verification's...).</summary>
    LastSms,

    /// <summary>The code of the SMS before that one: what a user types who read the wrong message.</summary>
    EarlierSms,

    /// <summary>Six digits no SMS of the sequence carried.</summary>
    Wrong,

    /// <summary>Too short to be any code.</summary>
    Malformed,
}
