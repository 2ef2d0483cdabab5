using Microsoft.AspNetCore.Http.HttpResults;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <see cref="OperatorAuthorizer"/>'s decision: the principal to serve, or the 401/403 problem to answer — with the
/// principal that asked when it was authenticated but refused (403), so the refusal can be audited.
/// </summary>
internal sealed record OperatorAuthorization(OperatorPrincipal? Principal, ProblemHttpResult? Problem);
