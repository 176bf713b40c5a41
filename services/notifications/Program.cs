using Harbour.Notifications;
using Harbour.Notifications.Consumers;
using Harbour.Notifications.Email;
using Harbour.ServiceDefaults.Profile;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDatabase<NotificationsDbContext>("notificationsdb");
builder.AddMessaging(bus =>
{
    bus.AddConsumer<ReportSubmittedConsumer>();
    bus.AddProfileSnapshots<NotificationsDbContext>();
});
builder.AddEmail();
builder.Services.AddSingleton(TimeProvider.System);

var app = builder.Build();

await app.MigrateDatabaseAsync<NotificationsDbContext>();
app.MapDefaultEndpoints();

app.Run();

public partial class Program;
