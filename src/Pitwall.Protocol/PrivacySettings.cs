namespace Pitwall.Protocol.V1;

public sealed partial class PrivacySettings
{
    /// <summary>Whether the list of switched-off services is of a plausible size (what it says is for the privacy rules to judge).</summary>
    public bool IsBounded(int maxServices, int maxIdLength) =>
        DisabledServices.Count <= maxServices && DisabledServices.All(s => s.Length <= maxIdLength);
}
