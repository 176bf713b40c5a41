using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harbour.Profile;

// How a profile is written as JSON everywhere: in snapshots, versions, the API and the shipped default.
public static class ProfileJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // An empty "closures:" line or "name: ~" is a mistake to name, not a null to trip over later.
        RespectNullableAnnotations = true,
        // The shipped default opens with a comment saying what it is.
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new BooleanFromText() },
    };

    // YAML gives every scalar as text; "true" and "false" still mean what they say.
    sealed class BooleanFromText : JsonConverter<bool>
    {
        public override bool Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.String when bool.TryParse(reader.GetString(), out var value) => value,
            JsonTokenType.String when reader.GetString() is "yes" or "no" => reader.GetString() == "yes",
            _ => throw new JsonException("Expected a Boolean."),
        };

        public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
    }
}
