using static RoleSync.Testing.TestSigning;

namespace RoleSync.Core.Tests.Messaging;

/// <summary>What <see cref="MessageSignature"/> covers: the scope, the MessageId, the scheduled time and every <c>rolesync-*</c> property.</summary>
public sealed class MessageSignatureTests
{
    private static readonly DateTimeOffset Scheduled = new(2026, 11, 28, 12, 0, 30, 123, TimeSpan.Zero);

    private static readonly BinaryData Body = BinaryData.FromString("""{"eventId":"evt-1","organizationId":"org_1","userId":"user_1","role":"org:member"}""");

    private static Dictionary<string, object> Properties() => new()
    {
        [MessageProperties.Attempt] = 3,
        [MessageProperties.RetryOf] = "msg-1",
        [MessageProperties.LineageSequenceNumber] = 7L,
        ["tenant"] = "acme",
    };

    /// <summary>
    /// The value was computed outside .NET from the documented construction: HKDF-SHA256 (RFC 5869, no salt, info
    /// "rolesync/message-properties/v1") of the secret, then HMAC-SHA256 over length-prefixed (int32 big-endian) UTF-8
    /// fields: the info, the scope, the MessageId, the scheduled time in Unix milliseconds, then each rolesync-*
    /// property's name and typed value ("i:3", "l:7", "s:msg-1") in ordinal order; base64url without padding after "v2."; since v2 the lowercase hex SHA-256 of the body follows the scheduled
    /// time (v1 values no longer verify: copies in flight at the upgrade start again at attempt 1, as after a key rotation).
    /// </summary>
    [Fact]
    public void The_signature_of_a_fixed_input_is_pinned_copies_in_flight_must_keep_verifying_across_versions()
    {
        var signature = MessageSignature.FromSecret(new ClerkSecret("sk_test_pinned_vector_key"));

        Assert.Equal("v2.GNl7NEUmalofqTkIk4F2Ld9mcZcHTncc0RO5D0SK_qY", signature.Compute(MessageSignatureScope.Copy, "msg-1~s7~r3", Scheduled, Body, Properties()));
    }

    [Fact]
    public void RoleSync_s_own_properties_verify()
    {
        var signed = Signed("msg-1~s7~r3", Body, Properties(), scheduledEnqueueTime: Scheduled);

        Assert.True(Signature.Verify(MessageSignatureScope.Copy, "msg-1~s7~r3", Scheduled, Body, signed));
        Assert.True(Signature.Verify(MessageSignatureScope.Copy, "msg-1~s7~r3", Scheduled, Body, new Dictionary<string, object>(signed) { ["tenant"] = "other", ["x"] = 1 }));
    }

    public static TheoryData<string, object?> Tampering => new()
    {
        { MessageProperties.Attempt, 8 },
        { MessageProperties.Attempt, "3" },
        { MessageProperties.Attempt, 3L },
        { MessageProperties.RetryOf, "victim" },
        { MessageProperties.LineageSequenceNumber, 1L },
        { MessageProperties.ReplayCount, 1 },
        { MessageProperties.Attempt, null },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Changing_adding_or_removing_a_rolesync_property_breaks_it(string name, object? value)
    {
        var signed = Signed("msg-1~s7~r3", Body, Properties(), scheduledEnqueueTime: Scheduled);
        if (value is null)
        {
            signed.Remove(name);
        }
        else
        {
            signed[name] = value;
        }

        Assert.False(Signature.Verify(MessageSignatureScope.Copy, "msg-1~s7~r3", Scheduled, Body, signed));
    }

    [Fact]
    public void Signed_properties_copied_onto_another_body_do_not_verify()
    {
        // Someone who can read a queued operator message resends its MessageId and signed properties with a body of their own.
        var signed = Signed("evt-1", Body, new Dictionary<string, object> { [MessageProperties.EntryPoint] = "operator", [MessageProperties.Principal] = "Alice (oid-1)" });
        var forged = BinaryData.FromString("""{"eventId":"evt-1","organizationId":"org_1","userId":"user_mallory","role":"org:admin"}""");

        Assert.True(Signature.Verify(MessageSignatureScope.Copy, "evt-1", default, Body, signed));
        Assert.False(Signature.Verify(MessageSignatureScope.Copy, "evt-1", default, forged, signed));
    }

    [Fact]
    public void Another_message_id_scheduled_time_scope_or_key_breaks_it_and_so_does_no_signature()
    {
        var signed = Signed("msg-1~s7~r3", Body, Properties(), scheduledEnqueueTime: Scheduled);
        var unsigned = Properties();

        Assert.False(Signature.Verify(MessageSignatureScope.Copy, "msg-1~s7~r4", Scheduled, Body, signed));
        Assert.False(Signature.Verify(MessageSignatureScope.Copy, "msg-1~s7~r3", default, Body, signed));
        Assert.False(Signature.Verify(MessageSignatureScope.Copy, "msg-1~s7~r3", Scheduled.AddMilliseconds(1), Body, signed));
        Assert.False(Signature.Verify(MessageSignatureScope.DeadLetter, "msg-1~s7~r3", Scheduled, Body, signed));
        Assert.False(OtherSignature.Verify(MessageSignatureScope.Copy, "msg-1~s7~r3", Scheduled, Body, signed));
        Assert.False(Signature.Verify(MessageSignatureScope.Copy, "msg-1~s7~r3", Scheduled, Body, unsigned));
        Assert.False(Signature.Verify(MessageSignatureScope.Copy, "msg-1~s7~r3", Scheduled, Body, new Dictionary<string, object>(unsigned) { [MessageProperties.Signature] = 42 }));
    }

    [Fact]
    public void The_time_counts_to_the_millisecond_the_broker_keeps()
    {
        var signed = Signed("m", Body, Properties(), scheduledEnqueueTime: Scheduled);

        Assert.True(Signature.Verify(MessageSignatureScope.Copy, "m", Scheduled.AddTicks(9999), Body, signed));
    }
}
