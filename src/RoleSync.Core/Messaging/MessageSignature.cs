using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RoleSync.Secrets;

namespace RoleSync.Messaging;

/// <summary>
/// Authenticates the <c>rolesync-*</c> application properties RoleSync writes: an HMAC-SHA256 over the scope, the
/// MessageId, the scheduled enqueue time, a SHA-256 of the body and every <c>rolesync-*</c> property (name, type and
/// value, in ordinal order), kept in <see cref="MessageProperties.Signature"/>. The key is derived from the Clerk secret key with
/// HKDF-SHA256 (info <see cref="KeyInfo"/>), so producers, who never know that secret, cannot make one: a message whose
/// properties do not verify is a producer's message (attempt 1, no lineage; see <see cref="MessageLineage"/>).
/// </summary>
/// <remarks>
/// A retry copy's signature covers its ScheduledEnqueueTime, which the broker keeps on the delivered copy but a tool
/// that resubmits the copy (or its dead letter) as a new message does not set: such a resubmission is a producer's
/// message again. Adding, removing or changing any <c>rolesync-*</c> property, the MessageId or the body breaks the
/// signature: signed properties cannot be copied onto another change (an operator's principal onto a forged body).
/// When the Clerk secret key is rotated, copies signed with the old key stop verifying: each lineage in flight then
/// starts again at attempt 1, once per rotation.
/// </remarks>
public sealed class MessageSignature
{
    /// <summary>HKDF info: which use of the Clerk secret key this key is for.</summary>
    public const string KeyInfo = "rolesync/message-properties/v1";

    private const string Prefix = "v2.";

    private readonly byte[] _key;

    private MessageSignature(byte[] key) => _key = key;

    /// <summary>The signing key derived from <paramref name="secret"/> (HKDF-SHA256, no salt, info <see cref="KeyInfo"/>).</summary>
    public static MessageSignature FromSecret(ClerkSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret.Reveal()), 32, salt: [], info: Encoding.UTF8.GetBytes(KeyInfo));
        return new MessageSignature(key);
    }

    /// <summary>The <see cref="MessageProperties.Signature"/> value for a message with these fields and properties.</summary>
    /// <param name="scope">What the signature vouches for.</param>
    /// <param name="messageId">The message's MessageId.</param>
    /// <param name="scheduledEnqueueTime">Its ScheduledEnqueueTime (default: none), to the millisecond the broker keeps.</param>
    /// <param name="body">Its body (the change the properties speak of).</param>
    /// <param name="properties">Its application properties; only <c>rolesync-*</c> ones but the signature count.</param>
    public string Compute(
        MessageSignatureScope scope, string messageId, DateTimeOffset scheduledEnqueueTime, BinaryData body, IEnumerable<KeyValuePair<string, object>> properties)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(properties);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        Append(hmac, KeyInfo);
        Append(hmac, scope.ToString());
        Append(hmac, messageId);
        Append(hmac, scheduledEnqueueTime == default ? "" : scheduledEnqueueTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Append(hmac, Convert.ToHexStringLower(SHA256.HashData(body.ToMemory().Span)));
        foreach (var (name, value) in properties
            .Where(p => MessageProperties.IsRoleSyncProperty(p.Key) && p.Key != MessageProperties.Signature)
            .OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Append(hmac, name);
            Append(hmac, Typed(value));
        }
        return Prefix + Base64Url.EncodeToString(hmac.GetHashAndReset());
    }

    /// <summary>
    /// Whether <paramref name="properties"/> carry a <see cref="MessageProperties.Signature"/> of
    /// <paramref name="scope"/> that matches the other fields (compared in constant time).
    /// </summary>
    public bool Verify(
        MessageSignatureScope scope, string messageId, DateTimeOffset scheduledEnqueueTime, BinaryData body, IReadOnlyDictionary<string, object> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (!properties.TryGetValue(MessageProperties.Signature, out var value) || value is not string { Length: > 0 } given)
        {
            return false;
        }
        var expected = Compute(scope, messageId, scheduledEnqueueTime, body, properties);
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
    }

    /// <summary>A value with its type, so <c>8</c> and <c>"8"</c> do not sign alike.</summary>
    private static string Typed(object? value) => value switch
    {
        null => "null",
        int i => "i:" + i.ToString(CultureInfo.InvariantCulture),
        long l => "l:" + l.ToString(CultureInfo.InvariantCulture),
        string s => "s:" + s,
        _ => $"{value.GetType().FullName}:{Convert.ToString(value, CultureInfo.InvariantCulture)}",
    };

    /// <summary>Length-prefixed, so no two field lists make the same input.</summary>
    private static void Append(IncrementalHash hmac, string field)
    {
        var bytes = Encoding.UTF8.GetBytes(field);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hmac.AppendData(length);
        hmac.AppendData(bytes);
    }
}
