namespace Verify.Server.Tests.Properties;

/// <summary>
/// One call a sequence makes. Numbers, owners, IPs and transactions are indexes into the few values of
/// <see cref="PropertyConfiguration"/>, so that operations collide. A call by id names a verification by its
/// slot and <c>Age</c>: 0 is the last one started there, 1 the one before (an id that no longer leads anywhere,
/// or, before there was one, an id never issued).
/// </summary>
internal abstract record StoreOperation
{
    private StoreOperation()
    {
    }

    public sealed record Start(ModelSlotKey Slot, int Owner, int Ip, int Transaction) : StoreOperation
    {
        public override string ToString() => $"Start({Slot}, owner {Owner}, ip {Ip}, tx {Transaction})";
    }

    /// <summary>By id when <paramref name="Age"/> is set, else by number and purpose.</summary>
    public sealed record Check(ModelSlotKey Slot, int? Age, CodeChoice Code, int Owner, int Ip, int Transaction) : StoreOperation
    {
        public override string ToString() =>
            $"Check({Slot} {(Age is { } age ? $"by id age {age}" : "by number")}, {Code}, owner {Owner}, ip {Ip}, tx {Transaction})";
    }

    public sealed record Get(ModelSlotKey Slot, int Age, int Owner) : StoreOperation
    {
        public override string ToString() => $"Get({Slot} age {Age}, owner {Owner})";
    }

    public sealed record Cancel(ModelSlotKey Slot, int Age, int Owner) : StoreOperation
    {
        public override string ToString() => $"Cancel({Slot} age {Age}, owner {Owner})";
    }

    public sealed record Advance(TimeSpan By) : StoreOperation
    {
        public override string ToString() => $"Advance({By})";
    }
}
