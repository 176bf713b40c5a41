using Harbour.Notifications;
using Harbour.Notifications.Consumers;
using Harbour.Notifications.Email;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDatabase<NotificationsDbContext>("notificationsdb");
builder.AddMessaging(bus => bus.AddConsumer<ReportSubmittedConsumer>());
builder.AddEmail();
builder.Services.AddSingleton(TimeProvider.System);

var app = builder.Build();

await app.MigrateDatabaseAsync<NotificationsDbContext>();
app.MapDefaultEndpoints();

app.Run();

public partial class Program;
