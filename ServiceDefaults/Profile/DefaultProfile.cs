using Harbour.Contracts;

namespace Harbour.ServiceDefaults.Profile;

// The example UK university Harbour ships with, so that a new installation is usable at once.
public static class DefaultProfile
{
    public static readonly string Yaml = ReadResource();
    public static readonly InstitutionProfile Value = ProfileFile.Read(Yaml, yaml: true) is ({ } profile, null)
        ? profile
        : throw new InvalidOperationException("The default profile does not read.");

    static string ReadResource()
    {
        using var stream = typeof(DefaultProfile).Assembly.GetManifestResourceStream("Harbour.ServiceDefaults.Profile.default-profile.yaml")
            ?? throw new InvalidOperationException("The default profile is not embedded.");
        return new StreamReader(stream).ReadToEnd();
    }
}
