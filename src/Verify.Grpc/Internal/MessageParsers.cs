using System.Reflection;
using Google.Protobuf;

namespace Verify.Grpc.Internal;

/// <summary>
/// The parser protoc generates for a message (its static <c>Parser</c> property). It creates messages
/// with a plain <c>new</c>; a parser built here around <c>new T()</c> would go through
/// <c>Activator.CreateInstance</c> on every message, because the handlers are shared generic code.
/// </summary>
internal static class MessageParsers<T>
    where T : class, IMessage<T>, new()
{
    public static readonly MessageParser<T> Parser =
        typeof(T).GetProperty("Parser", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MessageParser<T>
        ?? new MessageParser<T>(() => new T());
}
