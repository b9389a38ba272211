using System.Globalization;
using System.Text;

namespace Verify.EmbeddedRedis;

/// <summary>A RESP2 reply: what a command answers, and what a script's <c>redis.call</c> gets back.</summary>
internal abstract record RespReply
{
    public static readonly RespReply Ok = new Status("OK");
    public static readonly RespReply Nil = new Bulk(null);
    public static readonly RespReply EmptyArray = new Array([]);

    public static RespReply Of(long value) => new Integer(value);

    public static RespReply Of(byte[]? value) => new Bulk(value);

    public static RespReply Of(string value) => new Bulk(Encoding.UTF8.GetBytes(value));

    public static RespReply Of(double score) => Of(Score(score));

    public static RespReply WrongType() => new Error("WRONGTYPE Operation against a key holding the wrong kind of value");

    public static RespReply Syntax() => new Error("ERR syntax error");

    /// <summary>A score as Redis prints it: an integer without a point, infinities as inf.</summary>
    public static string Score(double score) => double.IsPositiveInfinity(score) ? "inf" : double.IsNegativeInfinity(score) ? "-inf" : score.ToString("R", CultureInfo.InvariantCulture);

    public abstract void WriteTo(Stream output);

    public sealed record Status(string Text) : RespReply
    {
        public override void WriteTo(Stream output) => output.Write(Encoding.UTF8.GetBytes($"+{Text}\r\n"));
    }

    public sealed record Error(string Text) : RespReply
    {
        // A message never spans lines in RESP2.
        public override void WriteTo(Stream output) => output.Write(Encoding.UTF8.GetBytes($"-{Text.ReplaceLineEndings(" ")}\r\n"));
    }

    public sealed record Integer(long Value) : RespReply
    {
        public override void WriteTo(Stream output) => output.Write(Encoding.ASCII.GetBytes($":{Value}\r\n"));
    }

    public sealed record Bulk(byte[]? Value) : RespReply
    {
        public override void WriteTo(Stream output)
        {
            if (Value is null)
            {
                output.Write("$-1\r\n"u8);
                return;
            }

            output.Write(Encoding.ASCII.GetBytes($"${Value.Length}\r\n"));
            output.Write(Value);
            output.Write("\r\n"u8);
        }
    }

    public sealed record Array(IReadOnlyList<RespReply>? Items) : RespReply
    {
        public override void WriteTo(Stream output)
        {
            if (Items is null)
            {
                output.Write("*-1\r\n"u8);
                return;
            }

            output.Write(Encoding.ASCII.GetBytes($"*{Items.Count}\r\n"));
            foreach (var item in Items)
            {
                item.WriteTo(output);
            }
        }
    }
}
