namespace Harbour.Intake.Tests;

public class IntakeFactory() : ServiceFactory<Program>("intakedb");

public static class ValidReports
{
    public static Dictionary<string, object?> Anonymous(string description = "Someone shouted abuse at me outside the library.") => new()
    {
        ["kind"] = "anonymous",
        ["categories"] = new[] { "race" },
        ["description"] = description,
        ["location"] = "city-campus/library",
        ["occurredWhen"] = "last week",
        ["reporterRole"] = "student",
    };

    public static Dictionary<string, object?> Named() => new(Anonymous())
    {
        ["kind"] = "named",
        ["contactName"] = "Sam Student",
        ["contactEmail"] = "sam@example.ac.uk",
        ["consentToContact"] = "yes",
    };
}

// Intake on a broker the test names (ConnectionStrings:messaging, an AMQP URI), started without waiting for it to be ready.
public sealed class IntakeOnBroker(string messaging) : IntakeFactory
{
    public override async ValueTask InitializeAsync()
    {
        Settings["ConnectionStrings:messaging"] = messaging;
        await base.InitializeAsync();
    }

    protected override bool WaitUntilReady => false;
}
