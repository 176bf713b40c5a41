using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harbour.Contracts;
using Harbour.Profile;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Harbour.Cases.Profile;

public sealed record ProfileProblem(string Path, string Message);

// The profile as one file, JSON or YAML. YAML is read into the same JSON tree, with every scalar as text, so
// that one set of rules (System.Text.Json's) decides what a field may hold whichever format was sent.
public static class ProfileFile
{
    public static (InstitutionProfile? Profile, ProfileProblem? Problem) Read(string text, bool yaml)
    {
        try
        {
            var node = yaml ? FromYaml(text) : JsonNode.Parse(text);
            var profile = node?.Deserialize<InstitutionProfile>(ProfileJson.Options);
            return profile is null ? (null, new("", "The file is empty.")) : (profile, null);
        }
        catch (YamlException ex)
        {
            return (null, new("", $"Line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}"));
        }
        catch (JsonException ex) when (ex.Path is { Length: > 1 } path)
        {
            return (null, new(path.TrimStart('$', '.'), Explain(ex)));
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException)
        {
            return (null, new("", $"The file could not be read: {ex.Message}"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidCastException)
        {
            return (null, new("", "The file could not be read: check its brackets, quotes and indentation."));
        }
    }

    public static string Write(InstitutionProfile profile, bool yaml)
    {
        if (!yaml) return JsonSerializer.Serialize(profile, ProfileJson.Options);
        var text = new StringWriter();
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Emit(emitter, JsonSerializer.SerializeToNode(profile, ProfileJson.Options));
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    static string Explain(JsonException ex) => ex.Message switch
    {
        var m when m.Contains("could not be mapped") => "This field is not part of the profile: check its spelling.",
        var m when m.Contains("Int32") => "Enter a whole number.",
        var m when m.Contains("DateOnly") => "Enter a date as year-month-day, for example 2026-12-25.",
        var m when m.Contains("Boolean") => "Enter true or false.",
        var m when m.Contains("IReadOnlyList") => "Enter a list.",
        var m when m.Contains("null") => "This field needs a value: leave it out, or give it one.",
        _ => "This value has the wrong shape for this field.",
    };

    static JsonNode? FromYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance), 0);
    }

    // Each node is read once: an alias would repeat its anchor's content (a small file could expand without end),
    // and a profile is never deeper than a few levels.
    static JsonNode? ToJson(YamlNode node, HashSet<YamlNode> seen, int depth)
    {
        if (depth > 16) throw new YamlException(node.Start, node.End, "The file nests deeper than a profile ever does.");
        if (node is not YamlScalarNode && !seen.Add(node))
            throw new YamlException(node.Start, node.End, "Anchors and aliases (& and *) are not accepted: write each value out.");
        return node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(pair => KeyValuePair.Create(
                pair.Key is YamlScalarNode { Value: { } key } ? key : throw new YamlException(pair.Key.Start, pair.Key.End, "A name must be plain text."),
                ToJson(pair.Value, seen, depth + 1)))),
            YamlSequenceNode list => new JsonArray(list.Children.Select(item => ToJson(item, seen, depth + 1)).ToArray()),
            YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or "~" or "null" or null } => null,
            YamlScalarNode scalar => JsonValue.Create(scalar.Value),
            _ => throw new YamlException(node.Start, node.End, "This kind of YAML is not accepted in a profile."),
        };
    }

    static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                emitter.Emit(new MappingStart());
                foreach (var (key, value) in map)
                {
                    emitter.Emit(new Scalar(key));
                    Emit(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray list:
                emitter.Emit(new SequenceStart(null, null, false, list.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list) Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                emitter.Emit(new Scalar(null, null, text, text.Contains('\n') ? ScalarStyle.Literal : ScalarStyle.Any, true, true));
                break;
            default:
                emitter.Emit(new Scalar(node?.ToJsonString() ?? "~"));
                break;
        }
    }
}
