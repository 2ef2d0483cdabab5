// The user-assigned identity the function app runs as. Every data-plane role below is granted to it,
// and its client id is handed to the app (AZURE_CLIENT_ID, …__clientId) so that the app, the host and
// the platform all pick this identity rather than any other.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
