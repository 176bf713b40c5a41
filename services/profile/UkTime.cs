namespace Harbour.Profile;

// Times are stored in UTC and shown as the institution's people live them: UK time (GMT in winter, BST in summer).
public static class UkTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    // How people in the UK write numbers and dates ("1,235", "1 August 2026"), whatever the server's own culture.
    public static readonly System.Globalization.CultureInfo Culture = System.Globalization.CultureInfo.GetCultureInfo("en-GB");

    public static DateTimeOffset InUk(this DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone);

    // Today's date in the UK, whatever the server's own time zone.
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().InUk().DateTime);

    // The moment a UK day begins (midnight UK time), as an instant.
    public static DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
