namespace Harbour.Profile;

// Times are stored in UTC and shown as the institution's people live them: UK time (GMT in winter, BST in summer).
public static class UkTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static DateTimeOffset InUk(this DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone);

    // Today's date in the UK, whatever the server's own time zone.
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().InUk().DateTime);
}
