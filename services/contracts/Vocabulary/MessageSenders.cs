namespace Harbour.Contracts;

// Who wrote a message of a case's conversation, as both sides store it.
public static class MessageSenders
{
    public const string Reporter = "reporter", CaseManager = "case-manager";
    public static readonly Terms Terms = new(new(Reporter, "Reporter"), new(CaseManager, "Case manager"));
}
