namespace Harbour.Contracts;

// How a report reached Harbour: the public form, an app through the report API, or a disclosure a case manager recorded
// (by phone, by email, in person). Every disclosure is counted in one place, by its channel.
public static class ReportChannels
{
    public const string Form = "form", App = "app";
    public static readonly Terms Terms = new(new(Form, "Online form"), new(App, "App or another system (report API)"), new("phone", "By phone, recorded by staff"),
        new("email", "By email, recorded by staff"), new("in-person", "In person, recorded by staff"));
    // The channels a case manager records a disclosure by.
    public static readonly Terms ByStaff = new(Terms[2], Terms[3], Terms[4]);
}
