namespace Harbour.Profile;

// Times are stored in UTC and shown as the institution's people live them: UK time (GMT in winter, BST in summer).
public static class UkTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

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
