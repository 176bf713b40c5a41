namespace Harbour.ServiceDefaults.Security;

// The gateway counts each reporter's submissions by their connection, in memory only, and never passes the address
// on: it marks a submission past one sender's share with this header instead. intake then answers it as it answers
// any submission past the shared budget (the form keeps what was typed; the API says 429). The gateway removes the
// header from whatever a client sends, so only the gateway can set it.
public static class ClientLimit
{
    public const string OverLimitHeader = "Harbour-Client-Over-Limit";
}
