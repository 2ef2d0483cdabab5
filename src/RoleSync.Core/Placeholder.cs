namespace RoleSync;
