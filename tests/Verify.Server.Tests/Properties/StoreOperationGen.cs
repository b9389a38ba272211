using CsCheck;

namespace Verify.Server.Tests.Properties;

/// <summary>
/// Random operation sequences over a small world (2 numbers × login and payment, 2 owners, 2 IPs and none),
/// so that starts, checks and cancels meet the same verifications, and time steps that land on and across the
/// policies' boundaries (30 s cooldown, 3 and 5 min codes, 5 and 10 min lockouts and windows).
/// </summary>
internal static class StoreOperationGen
{
    private static readonly Gen<ModelSlotKey> AnySlot =
        from number in Gen.Int[0, PropertyConfiguration.Numbers.Length - 1]
        from purpose in Gen.OneOf(PropertyConfiguration.Login.Purpose, PropertyConfiguration.Payment.Purpose)
        select new ModelSlotKey(number, purpose);

    // Mostly the first caller, so that its verifications live long enough to be resent and checked.
    private static readonly Gen<int> Owner = Gen.Frequency((6, 0), (1, 1));

    // Mostly one address, so that its start windows and its wrong codes fill up.
    private static readonly Gen<int> Ip = Gen.Frequency((3, 0), (1, 1), (1, 2));

    private static readonly Gen<StoreOperation> Advance =
        from seconds in Gen.Frequency((3, 1), (3, 10), (2, 29), (2, 30), (2, 31), (2, 60), (1, 120), (1, 180), (1, 300), (1, 600))
        select (StoreOperation)new StoreOperation.Advance(TimeSpan.FromSeconds(seconds));

    /// <summary>
    /// Each sequence has a slot it mostly plays on, so that its calls meet a verification that is still there
    /// (attempts run out, lockouts begin); the other calls go anywhere, so that slots still collide.
    /// </summary>
    public static readonly Gen<StoreOperation[]> Sequence =
        from focus in AnySlot
        from operations in Operation(Gen.Frequency((3, Gen.Const(focus)), (1, AnySlot))).Array[1, 30]
        select operations;

    public static string Print(StoreOperation[] operations) =>
        Environment.NewLine + string.Join(Environment.NewLine, operations.Select((operation, step) => $"{step}: {operation}"));

    private static Gen<StoreOperation> Operation(Gen<ModelSlotKey> slot) =>
        Gen.Frequency((4, Start(slot)), (7, Check(slot)), (1, Get(slot)), (1, Cancel(slot)), (2, Advance));

    private static Gen<StoreOperation> Start(Gen<ModelSlotKey> slots) =>
        from slot in slots
        from owner in Owner
        from ip in Ip
        from transaction in Gen.Frequency((3, 1), (1, 2))
        select (StoreOperation)new StoreOperation.Start(slot, owner, ip, slot.Purpose == PropertyConfiguration.Payment.Purpose ? transaction : 0);

    // A payment is mostly checked with its transaction; a login code now and then with one (which burns it).
    private static Gen<StoreOperation> Check(Gen<ModelSlotKey> slots) =>
        from slot in slots
        from byNumber in Gen.Frequency((1, true), (2, false))
        from age in Gen.Frequency((4, 0), (1, 1))
        from code in Gen.Frequency((3, CodeChoice.LastSms), (1, CodeChoice.EarlierSms), (5, CodeChoice.Wrong), (1, CodeChoice.Malformed))
        from owner in Owner
        from ip in Ip
        from payment in Gen.Frequency((4, 1), (1, 2), (1, 0))
        from login in Gen.Frequency((9, 0), (1, 1))
        select (StoreOperation)new StoreOperation.Check(
            slot, byNumber ? null : age, code, owner, ip, slot.Purpose == PropertyConfiguration.Payment.Purpose ? payment : login);

    private static Gen<StoreOperation> Get(Gen<ModelSlotKey> slots) =>
        from slot in slots
        from age in Gen.Frequency((4, 0), (1, 1))
        from owner in Owner
        select (StoreOperation)new StoreOperation.Get(slot, age, owner);

    private static Gen<StoreOperation> Cancel(Gen<ModelSlotKey> slots) =>
        from slot in slots
        from age in Gen.Frequency((4, 0), (1, 1))
        from owner in Owner
        select (StoreOperation)new StoreOperation.Cancel(slot, age, owner);
}
