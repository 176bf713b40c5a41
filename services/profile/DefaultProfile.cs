using System.Text.Json;
using Harbour.Contracts;

namespace Harbour.Profile;

// The example UK university Harbour ships with, so that a new installation is usable at once. It is version 1 in every
// service: cases saves it as its first version, and the others work from it until they hold a version of their own.
public static class DefaultProfile
{
    public const int Version = 1;

    public static readonly InstitutionProfile Value = JsonSerializer.Deserialize<InstitutionProfile>(ReadResource(), ProfileJson.Options)
        ?? throw new InvalidOperationException("The default profile is empty.");

    static Stream ReadResource() =>
        typeof(DefaultProfile).Assembly.GetManifestResourceStream("Harbour.Profile.default-profile.json")
            ?? throw new InvalidOperationException("The default profile is not embedded.");
}
