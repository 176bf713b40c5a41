using System.Text.Json.Serialization.Metadata;
using Harbour.Contracts;
using Harbour.Profile;

namespace Harbour.Cases.Profile;

// The sections an admin edits, one page each. Public sections can be previewed as the public site shows them.
public sealed record ProfileSection(string Key, string Title, string Row, string Help, Type RowType, bool Public = false)
{
    public IReadOnlyList<JsonPropertyInfo> Fields => [.. ProfileJson.Options.GetTypeInfo(RowType).Properties];
}

public static class ProfileSections
{
    public static readonly ProfileSection[] All =
    [
        new("kinds", "Ways to report", "Way to report",
            $"How the public site explains each of the three ways to report: {Terms.Listed(ReportKinds.All, "and")}.", typeof(ReportKindText), Public: true),
        new("categories", "Categories", "Category",
            "The kinds of incident a reporter chooses from (shown alphabetically), and the specialism that handles each.", typeof(Category), Public: true),
        new("places", "Campuses and buildings", "Place",
            "Where incidents happen. Give a campus to group buildings; leave it empty for places such as Online or Off campus.", typeof(Place), Public: true),
        new("departments", "Departments", "Department",
            "Whom case managers may inform: the address alerts go to, the alert's starting text ({reference}, {location}, {when} and {categories} are filled in from the case), and the working days they have to acknowledge it before they are reminded.", typeof(Department)),
        new("support", "Support directory", "Service",
            $"Internal and external support. Serves: {string.Join(", ", ReporterRoles.Terms.Codes)}. Categories empty means every category; urgent services are listed first.",
            typeof(SupportService), Public: true),
        new("playbooks", "Playbooks", "Playbook",
            "The actions suggested to a case manager for each category, one per line.", typeof(Playbook)),
        new("deadlines", "Deadlines", "Deadline",
            "Working days allowed for each step of the response. Leave the kind empty for every kind of report.", typeof(Deadline)),
        new("closures", "Bank holidays and closure days", "Closure",
            "Days that are not working days. Weekends never are.", typeof(Closure)),
        new("outcomes", "Outcomes", "Outcome", "How a case may be closed.", typeof(Outcome)),
        new("retention", "Retention", "Retention rule",
            "How many months each kind of report is kept: from submission, or from closure when 'after closure' is ticked. Give an outcome (after closure) to keep that kind's cases closed with it for a period of their own.", typeof(Harbour.Contracts.Retention)),
        new("guidance", "Guidance pages", "Page",
            $"Public pages in Markdown. Audience: {Terms.Listed(GuidanceAudiences.Terms.Codes)}. Earlier versions stay readable on the public site.",
            typeof(GuidancePage), Public: true),
    ];

    public static ProfileSection? Find(string key) => All.FirstOrDefault(s => s.Key == key);

}
