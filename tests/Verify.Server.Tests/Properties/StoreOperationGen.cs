using CsCheck;

namespace Verify.Server.Tests.Properties;

/// <summary>
/// Random operation sequences over a small world (2 numbers × login and payment, 1 or 2 callers, 2 IPs and none),
/// so that starts, checks and cancels meet the same verifications, and time steps that land on and across the
/// policies' boundaries (30 s cooldown, 3 and 5 min codes, 2 and 10 min lockouts, 10 min windows).
/// </summary>
internal static class StoreOperationGen
{
    private static readonly Gen<ModelSlotKey> AnySlot =
        from number in Gen.Int[0, PropertyConfiguration.Numbers.Length - 1]
        from purpose in Gen.OneOf(PropertyConfiguration.Login.Purpose, PropertyConfiguration.Payment.Purpose)
        select new ModelSlotKey(number, purpose);

    // One caller without a tag, or two callers (PropertyConfiguration.Owners), the first more often, so that its
    // verifications are resent and checked while the other's calls by id and number meet them.
    private static readonly Gen<int> OneCaller = Gen.Const(0);

    private static readonly Gen<int> TwoCallers = Gen.Frequency((3, 1), (1, 2));

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
        from twoCallers in Gen.Frequency((1, false), (3, true))
        from operations in Operation(Gen.Frequency((3, Gen.Const(focus)), (1, AnySlot)), twoCallers ? TwoCallers : OneCaller).Array[1, 30]
        select operations;

    public static string Print(StoreOperation[] operations) =>
        Environment.NewLine + string.Join(Environment.NewLine, operations.Select((operation, step) => $"{step}: {operation}"));

    private static Gen<StoreOperation> Operation(Gen<ModelSlotKey> slot, Gen<int> owner) =>
        Gen.Frequency((4, Start(slot, owner)), (7, Check(slot, owner)), (1, Get(slot, owner)), (1, Cancel(slot, owner)), (2, Advance));

    private static Gen<StoreOperation> Start(Gen<ModelSlotKey> slots, Gen<int> owners) =>
        from slot in slots
        from owner in owners
        from ip in Ip
        from transaction in Gen.Frequency((3, 1), (1, 2))
        select (StoreOperation)new StoreOperation.Start(slot, owner, ip, slot.Purpose == PropertyConfiguration.Payment.Purpose ? transaction : 0);

    // A payment is mostly checked with its transaction; a login code now and then with one (which burns it).
    private static Gen<StoreOperation> Check(Gen<ModelSlotKey> slots, Gen<int> owners) =>
        from slot in slots
        from byNumber in Gen.Frequency((1, true), (2, false))
        from age in Gen.Frequency((4, 0), (1, 1))
        from code in Gen.Frequency((3, CodeChoice.LastSms), (1, CodeChoice.EarlierSms), (5, CodeChoice.Wrong), (1, CodeChoice.Malformed))
        from owner in owners
        from ip in Ip
        from payment in Gen.Frequency((4, 1), (1, 2), (1, 0))
        from login in Gen.Frequency((9, 0), (1, 1))
        select (StoreOperation)new StoreOperation.Check(
            slot, byNumber ? null : age, code, owner, ip, slot.Purpose == PropertyConfiguration.Payment.Purpose ? payment : login);

    private static Gen<StoreOperation> Get(Gen<ModelSlotKey> slots, Gen<int> owners) =>
        from slot in slots
        from age in Gen.Frequency((4, 0), (1, 1))
        from owner in owners
        select (StoreOperation)new StoreOperation.Get(slot, age, owner);

    private static Gen<StoreOperation> Cancel(Gen<ModelSlotKey> slots, Gen<int> owners) =>
        from slot in slots
        from age in Gen.Frequency((4, 0), (1, 1))
        from owner in owners
        select (StoreOperation)new StoreOperation.Cancel(slot, age, owner);
}
