using Harbour.Contracts;

namespace Harbour.Profile;

// What the institution calls the ids reports carry. An id the profile no longer has is shown as it is, so an old report
// still reads, and counts stay comparable across renames.
public static class ProfileNames
{
    public static string CategoryName(this InstitutionProfile profile, string id) =>
        profile.Categories.FirstOrDefault(c => c.Id == id)?.Name ?? id;

    public static string KindName(this InstitutionProfile profile, string id) =>
        profile.Kinds.FirstOrDefault(k => k.Id == id)?.Name ?? id;

    public static string PlaceName(this InstitutionProfile profile, string id) =>
        profile.Places.FirstOrDefault(p => p.Id == id) is { } place
            ? place.Campus is null ? place.Name : $"{place.Campus}: {place.Name}"
            : id;

    public static string OutcomeName(this InstitutionProfile profile, string id) =>
        profile.Outcomes.FirstOrDefault(o => o.Id == id)?.Name ?? id;

    // The campus a place is on, or the place itself when it stands alone (Online, Off campus).
    public static string CampusOf(this InstitutionProfile profile, string placeId) =>
        profile.Places.FirstOrDefault(p => p.Id == placeId) is { } place ? place.Campus ?? place.Name : placeId;
}
