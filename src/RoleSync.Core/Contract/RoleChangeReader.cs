using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Unicode;

namespace RoleSync.Contract;

/// <summary>
/// Reads a message body, plain or CloudEvents, into one <see cref="RawRoleChange"/> in a single forward pass. It judges
/// only what a reader can see: the body is one JSON object in UTF-8, no property name repeats, and each known property
/// holds a string (or null). Every other rule is <see cref="RoleChangeRules"/>'.
/// </summary>
/// <remarks>
/// Duplicate names are tracked here by hand rather than by .NET 10's <c>AllowDuplicateProperties = false</c>:
/// <see cref="JsonReaderOptions"/> has no such option, and <see cref="JsonDocumentOptions"/>' version throws on the
/// first duplicate with only the repeated name ("Duplicate property 'role' encountered…"), so the error could not name
/// where it is ("data.role", "meta: … inside it") nor be listed with the message's other violations; building the
/// document also costs more than this whole pass. For known properties the check is one flag per field.
/// </remarks>
internal static class RoleChangeReader
{
    private const int MaxDepth = 32;

    public static void Read(ReadOnlySpan<byte> body, ref RawRoleChange raw)
    {
        if (body.Length > RoleChangeParser.MaxBodyBytes)
        {
            raw.BodyError = $"body: {body.Length} bytes is larger than the limit of {RoleChangeParser.MaxBodyBytes} bytes (64 KiB)";
            return;
        }
        if (body.StartsWith("\uFEFF"u8)) // the UTF-8 byte order mark, EF BB BF
        {
            body = body[3..];
        }
        raw.BodyError = body.IsEmpty ? "body: is empty; expected a JSON object"
            : !Utf8.IsValid(body) ? "body: is not valid UTF-8"
            : ReadObject(body, ref raw);
    }

    /// <summary>Reads the one top-level object; returns the body error, or null when it could be read.</summary>
    private static string? ReadObject(ReadOnlySpan<byte> body, ref RawRoleChange raw)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "body: must be a JSON object";
            }
            ReadProperties(ref reader, ref raw, inData: false);
            return reader.Read() ? "body: has content after the JSON object" : null;
        }
        catch (InvalidOperationException)
        {
            return "body: contains a string escape that is not valid UTF-16 (a lone surrogate)";
        }
        catch (JsonException ex)
        {
            // Utf8JsonReader messages name the position, never anything beyond the input itself.
            return $"body: is not valid JSON ({ErrorText.Sanitize(ex.Message)})";
        }
    }

    /// <summary>Reads the properties of the top-level object, or of <c>data</c> when <paramref name="inData"/>, up to its end.</summary>
    private static void ReadProperties(ref Utf8JsonReader reader, ref RawRoleChange raw, bool inData)
    {
        var prefix = inData ? "data." : "";
        List<string>? unknownNames = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!inData && reader.ValueTextEquals("data"u8))
            {
                ReadData(ref reader, ref raw);
                continue;
            }
            ref RawField field = ref inData ? ref SelectData(ref raw, ref reader) : ref SelectTopLevel(ref raw, ref reader);
            if (!Unsafe.IsNullRef(ref field))
            {
                ReadString(ref reader, ref field, ref raw, prefix);
            }
            else
            {
                CheckUnknownName(ref reader, ref unknownNames, prefix, ref raw);
                SkipValue(ref reader, ref raw);
            }
        }
    }

    private static void ReadData(ref Utf8JsonReader reader, ref RawRoleChange raw)
    {
        if (raw.HasData)
        {
            raw.AddError("data: duplicate property name");
        }
        reader.Read();
        raw.HasData = true;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            raw.DataError = $"data: must be a JSON object, not {Describe(reader.TokenType)}";
            reader.Skip();
            return;
        }
        ReadProperties(ref reader, ref raw, inData: true);
    }

    /// <summary>The field a top-level property name fills, or a null reference for a name the contract does not know.</summary>
    private static ref RawField SelectTopLevel(ref RawRoleChange raw, ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("eventId"u8)) return ref raw.EventId;
        if (reader.ValueTextEquals("occurredAt"u8)) return ref raw.OccurredAt;
        if (reader.ValueTextEquals("organizationId"u8)) return ref raw.OrganizationId;
        if (reader.ValueTextEquals("userId"u8)) return ref raw.UserId;
        if (reader.ValueTextEquals("role"u8)) return ref raw.Role;
        if (reader.ValueTextEquals("source"u8)) return ref raw.Source;
        if (reader.ValueTextEquals("reason"u8)) return ref raw.Reason;
        if (reader.ValueTextEquals("externalId"u8)) return ref raw.ExternalId;
        if (reader.ValueTextEquals("emailAddress"u8)) return ref raw.EmailAddress;
        if (reader.ValueTextEquals("action"u8)) return ref raw.Action;
        if (reader.ValueTextEquals("specversion"u8)) return ref raw.SpecVersion;
        if (reader.ValueTextEquals("type"u8)) return ref raw.Type;
        if (reader.ValueTextEquals("id"u8)) return ref raw.Id;
        if (reader.ValueTextEquals("time"u8)) return ref raw.Time;
        if (reader.ValueTextEquals("datacontenttype"u8)) return ref raw.DataContentType;
        return ref Unsafe.NullRef<RawField>();
    }

    /// <summary>The field a property name inside <c>data</c> fills, or a null reference for a name the contract does not know.</summary>
    private static ref RawField SelectData(ref RawRoleChange raw, ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("organizationId"u8)) return ref raw.DataOrganizationId;
        if (reader.ValueTextEquals("userId"u8)) return ref raw.DataUserId;
        if (reader.ValueTextEquals("role"u8)) return ref raw.DataRole;
        if (reader.ValueTextEquals("reason"u8)) return ref raw.DataReason;
        if (reader.ValueTextEquals("externalId"u8)) return ref raw.DataExternalId;
        if (reader.ValueTextEquals("emailAddress"u8)) return ref raw.DataEmailAddress;
        if (reader.ValueTextEquals("action"u8)) return ref raw.DataAction;
        return ref Unsafe.NullRef<RawField>();
    }

    private static void CheckUnknownName(ref Utf8JsonReader reader, ref List<string>? seen, string prefix, ref RawRoleChange raw)
    {
        var name = reader.GetString()!;
        seen ??= [];
        if (seen.Contains(name))
        {
            raw.AddError($"{prefix}{ErrorText.Sanitize(name)}: duplicate property name");
        }
        else
        {
            seen.Add(name);
        }
    }

    private static void ReadString(ref Utf8JsonReader reader, ref RawField field, ref RawRoleChange raw, string prefix)
    {
        if (field.Present)
        {
            raw.AddError($"{prefix}{reader.GetString()}: duplicate property name");
        }
        reader.Read();
        field = default;
        field.Present = true;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                field.Value = reader.GetString();
                break;
            case JsonTokenType.Null:
                field.IsNull = true;
                break;
            default:
                field.TypeError = $"must be a string, not {Describe(reader.TokenType)}";
                reader.Skip();
                break;
        }
    }

    /// <summary>Skips an ignored value, still rejecting duplicate property names inside it.</summary>
    private static void SkipValue(ref Utf8JsonReader reader, ref RawRoleChange raw)
    {
        var name = reader.GetString();
        reader.Read();
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }
        // Rare path (unknown structured properties): track the names of every open object.
        var depth = reader.CurrentDepth;
        var open = new Stack<HashSet<string>?>();
        open.Push(reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    open.Push(new HashSet<string>(StringComparer.Ordinal));
                    break;
                case JsonTokenType.StartArray:
                    open.Push(null);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    open.Pop();
                    if (reader.CurrentDepth == depth)
                    {
                        return;
                    }
                    break;
                case JsonTokenType.PropertyName:
                    var inner = reader.GetString()!;
                    if (open.Peek() is { } names && !names.Add(inner))
                    {
                        raw.AddError($"{ErrorText.Sanitize(name)}: duplicate property name \"{ErrorText.Sanitize(inner)}\" inside it");
                    }
                    break;
            }
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.String => "a string",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
