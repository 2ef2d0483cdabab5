namespace RoleSync.Core.Tests.Contract;

/// <summary>
/// <see cref="ClerkIds"/> on its own, against the same patterns the parse-result invariants use
/// (<see cref="ParseResultInvariants"/>) and the same hostile generators as the parser's property tests.
/// </summary>
public sealed class ClerkIdsTests
{
    [Theory]
    [InlineData("org_a", true)]
    [InlineData("org_2g7np7Hrk0SN6kj5EDMLDaKNL0S", true)]
    [InlineData("org_", false)]
    [InlineData("ORG_abc", false)]
    [InlineData("org-abc", false)]
    [InlineData("org_a_b", false)]
    [InlineData("org_a/b", false)]
    [InlineData("org_\u0430", false)]
    [InlineData("user_abc", false)]
    [InlineData("", false)]
    public void IsOrganizationId_follows_the_prefix_and_suffix_rule(string value, bool expected)
    {
        Assert.Equal(expected, ClerkIds.IsOrganizationId(value));
        Assert.Equal(expected, ClerkIds.IsValid(value, ClerkIds.OrganizationPrefix));
    }

    [Fact]
    public void The_suffix_is_1_to_64_characters()
    {
        Assert.True(ClerkIds.IsUserId("user_" + new string('a', 64)));
        Assert.False(ClerkIds.IsUserId("user_" + new string('a', 65)));
        Assert.False(ClerkIds.IsUserId("user_"));
    }

    [Fact]
    public void IsValid_takes_any_prefix()
    {
        Assert.True(ClerkIds.IsValid("inv_abc123", "inv_"));
        Assert.False(ClerkIds.IsValid("org_abc123", "inv_"));
    }

    [Theory]
    [InlineData("org:admin", true)]
    [InlineData("org:billing_manager_2", true)]
    [InlineData("org:", false)]
    [InlineData("org:Admin", false)]
    [InlineData("admin", false)]
    [InlineData("org:a-b", false)]
    [InlineData("ORG:admin", false)]
    public void IsRoleKey_follows_the_role_key_rule(string value, bool expected)
    {
        Assert.Equal(expected, ClerkIds.IsRoleKey(value));
    }

    [Fact]
    public void Role_keys_are_1_to_64_characters_after_the_prefix()
    {
        Assert.True(ClerkIds.IsRoleKey("org:" + new string('a', 64)));
        Assert.False(ClerkIds.IsRoleKey("org:" + new string('a', 65)));
    }

    [Fact]
    public void Generated_valid_ids_and_role_keys_pass()
    {
        Gen.Select(ContractGen.OrganizationId, ContractGen.UserId, ContractGen.Role).Sample((org, user, role) =>
        {
            Assert.True(ClerkIds.IsOrganizationId(org), org);
            Assert.True(ClerkIds.IsUserId(user), user);
            Assert.True(ClerkIds.IsRoleKey(role), role);
        }, iter: 2_000);
    }

    [Fact]
    public void Hostile_ids_and_role_keys_agree_with_the_patterns()
    {
        Gen.Select(ContractGen.HostileOrganizationId, ContractGen.HostileUserId, ContractGen.HostileRole).Sample((org, user, role) =>
        {
            Assert.Equal(ParseResultInvariants.OrganizationId().IsMatch(org), ClerkIds.IsOrganizationId(org));
            Assert.Equal(ParseResultInvariants.UserId().IsMatch(user), ClerkIds.IsUserId(user));
            Assert.Equal(ParseResultInvariants.Role().IsMatch(role), ClerkIds.IsRoleKey(role));
        }, iter: 10_000, print: t => $"{t.Item1} | {t.Item2} | {t.Item3}");
    }

    [Fact]
    public void Null_is_refused_not_judged()
    {
        Assert.Throws<ArgumentNullException>(() => ClerkIds.IsValid(null!, "org_"));
        Assert.Throws<ArgumentNullException>(() => ClerkIds.IsValid("org_a", null!));
        Assert.Throws<ArgumentNullException>(() => ClerkIds.IsRoleKey(null!));
    }
}
