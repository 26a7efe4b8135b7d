using System.ComponentModel.DataAnnotations;
using Pitwall.Server.Cluster;

namespace Pitwall.Server.Tests.Cluster;

public sealed class ClusterOptionsTests
{
    private static List<ValidationResult> Errors(ClusterOptions options)
    {
        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true);
        return errors;
    }

    [Fact]
    public void The_defaults_are_valid_and_an_instance_timeout_shorter_than_two_heartbeats_is_refused()
    {
        Assert.Empty(Errors(new ClusterOptions()));
        var error = Assert.Single(Errors(new ClusterOptions { InstanceHeartbeat = TimeSpan.FromSeconds(10), InstanceTimeout = TimeSpan.FromSeconds(15) }));
        Assert.Contains(nameof(ClusterOptions.InstanceTimeout), error.MemberNames);
    }
}
