using RoleSync.Lifecycle;
using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Lifecycle;

/// <summary>Roles:Map: HR role names mapped to Clerk role keys, through the real processor against the sandbox.</summary>
public sealed class RoleMappingTests
{
    private static readonly Dictionary<string, string?> Mapping = new()
    {
        ["Roles:Map:Engineering Manager"] = "org:admin",
        ["Roles:Map:Accountant"] = "org:billing",
    };

    [Fact]
    public async Task A_mapped_HR_role_is_applied_as_its_key_matched_case_insensitively()
    {
        await using var h = await StartAsync(settings: Mapping);

        var result = await h.Processor.ProcessAsync(Bytes(Message("evt-1", userId: MemberId, role: "engineering MANAGER")));

        Assert.Equal(Outcome.Applied, result.Outcome);
        Assert.Equal("org:admin", result.Change!.Role);
        Assert.Equal("org:admin", h.Clerk.GetRole(OrgId, MemberId));
        Assert.Equal("org:admin", (await h.Ledger.GetAsync(OrgId, MemberId))!.NewestRole);
    }

    [Fact]
    public async Task With_a_mapping_role_keys_still_work_and_an_unmapped_name_is_rejected_naming_it()
    {
        await using var h = await StartAsync(settings: Mapping);

        var key = await h.Processor.ProcessAsync(Bytes(Message("evt-1", userId: MemberId, role: "org:billing")));
        var unmapped = await h.Processor.ProcessAsync(Bytes(Message("evt-2", BaseTime.AddMinutes(1), userId: MemberId, role: "Intern", cloudEvent: true)));

        Assert.Equal(Outcome.Applied, key.Outcome);
        Assert.Equal(Outcome.Rejected, unmapped.Outcome);
        Assert.Equal(Reasons.RoleNotMapped, unmapped.Reason);
        Assert.Contains("\"Intern\"", unmapped.Detail);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
        Assert.Equal(1, h.Clerk.PatchCount);
    }

    [Fact]
    public async Task Without_a_mapping_an_HR_role_name_is_an_invalid_message_as_in_1_0()
    {
        await using var h = await StartAsync();

        var result = await h.Processor.ProcessAsync(Bytes(Message("evt-1", userId: MemberId, role: "Engineering Manager")));

        Assert.Equal(Reasons.InvalidMessage, result.Reason);
        Assert.StartsWith("role: must be \"org:\"", result.Detail);
        Assert.Empty(h.Clerk.Requests);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("org:Admin")]
    [InlineData("")]
    public async Task An_invalid_mapping_target_stops_start_up_naming_the_setting(string target)
    {
        await using var h = await StartAsync(settings: new Dictionary<string, string?> { ["Roles:Map:Manager"] = target });

        var failure = Assert.Throws<OptionsValidationException>(() => h.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Roles:Map:Manager must be a Clerk role key", failure.Message);
        Assert.Contains($"not \"{target}\"", failure.Message);
    }

    [Fact]
    public void The_mapper_maps_names_keeps_keys_and_refuses_the_rest()
    {
        var options = new RoleMappingOptions();
        options.Map["Manager"] = "org:admin";
        var mapper = new RoleMapper(Options.Create(options));

        Assert.True(mapper.HasMappings);
        Assert.Equal("org:admin", mapper.Map("MANAGER"));
        Assert.Equal("org:member", mapper.Map("org:member"));
        Assert.Null(mapper.Map("Intern"));
        Assert.False(RoleMapper.None.HasMappings);
        Assert.Null(RoleMapper.None.Map("Manager"));
        Assert.True(mapper.Parse("{\"eventId\":\"e\",\"occurredAt\":\"2026-11-28T12:00:00Z\",\"organizationId\":\"org_1\",\"userId\":\"user_1\",\"role\":\"Senior Manager\"}"u8, BaseTime).IsValid);
    }
}
