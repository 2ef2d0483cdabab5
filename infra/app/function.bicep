// The RoleSync function app on a Flex Consumption (FC1) plan. It runs as the user-assigned identity and
// every connection it has is identity-based: the app settings below carry names, URIs and the identity's
// client id, never a key, a SAS or a connection string with a secret in it.
//
// Flex Consumption rejects or ignores several classic settings, so none of these appear here:
// FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE, WEBSITE_CONTENTSHARE,
// WEBSITE_CONTENTAZUREFILECONNECTIONSTRING, and siteConfig.linuxFxVersion/ftpsState/alwaysOn/… (the runtime
// and scale live in functionAppConfig instead).

@description('Name of the function app.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Tags applied to the plan.')
param tags object

@description('Tags applied to the function app (azd finds the app to deploy by its azd-service-name tag).')
param appTags object

@description('Name of the user-assigned identity the app runs as (in this resource group).')
param identityName string

@description('Storage account for the host, the deployment package and the ledger.')
param storageAccountName string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Application Insights component that receives telemetry.')
param applicationInsightsName string

@description('Service Bus namespace host name, <ns>.servicebus.windows.net.')
param serviceBusFullyQualifiedNamespace string

@description('Name of the role-changes queue.')
param queueName string

@description('The queue\'s maxDeliveryCount: the app dead-letters, with its own reason, a message whose retry cannot be scheduled before the broker gives up on it.')
@minValue(1)
@maxValue(2000)
param maxDeliveryCount int

@description('URI of the Key Vault that holds the Clerk secret key.')
param keyVaultUri string

@description('Name of the Key Vault secret that holds the Clerk secret key.')
param clerkSecretName string

@description('Name of the ledger table.')
param ledgerTableName string

@description('Schedule of the Reconcile timer function (6-field NCRONTAB).')
param reconcileSchedule string

@description('Mode of the Reconcile function: Repair or Report.')
@allowed([
  'Repair'
  'Report'
])
param reconcileMode string

@description('The most instances the app scales out to, and the hosts RoleSync splits its Clerk budget across (one value: a host count that differs from the real one breaks the split).')
@minValue(1)
@maxValue(1000)
param maxInstances int

@description('RoleSync\'s Clerk budget for the deployment, requests per 10 s; 0: the default by key kind.')
@minValue(0)
@maxValue(1000)
param clerkRequestsPer10Seconds int

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Client id of the operator API\'s Entra ID app registration (the app roles RoleSync.Reader and RoleSync.Operator live there; docs/deployment.md). Empty: authentication is still required, so every HTTP call is answered 401 until it is set.')
param operatorAppClientId string

@description('Entra ID tenant of the operator API\'s app registration.')
param operatorTenantId string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: appTags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        // Host storage (and the ledger's account) through the identity.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        // The Service Bus trigger connection through the identity.
        { name: 'ServiceBusConnection__fullyQualifiedNamespace', value: serviceBusFullyQualifiedNamespace }
        { name: 'ServiceBusConnection__credential', value: 'managedidentity' }
        { name: 'ServiceBusConnection__clientId', value: identity.properties.clientId }
        { name: 'RoleChangesQueueName', value: queueName }
        { name: 'ServiceBus__MaxDeliveryCount', value: string(maxDeliveryCount) }
        // Where the app reads the Clerk secret key; the key itself stays in the vault.
        { name: 'Clerk__KeyVaultUri', value: keyVaultUri }
        { name: 'Clerk__SecretName', value: clerkSecretName }
        { name: 'Ledger__TableName', value: ledgerTableName }
        // The Reconcile timer (%Reconcile:Schedule%) and what it does with drift.
        { name: 'Reconcile__Schedule', value: reconcileSchedule }
        { name: 'Reconcile__Mode', value: reconcileMode }
        // The hosts the Clerk budget is split across: the same value as maximumInstanceCount below.
        { name: 'RoleSync__MaxInstances', value: string(maxInstances) }
        // RoleSync's share of Clerk's limit for the deployment; empty (parameter 0): half of the key's instance limit.
        { name: 'Clerk__RequestsPer10Seconds', value: clerkRequestsPer10Seconds > 0 ? string(clerkRequestsPer10Seconds) : '' }
        // DefaultAzureCredential in the worker picks this identity.
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        // The connection string names the component (local auth is disabled, so it grants nothing);
        // ingestion authenticates with the identity.
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identity.properties.clientId};Authorization=AAD'
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maxInstances
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// App Service Authentication (Easy Auth) with Microsoft Entra ID in front of every HTTP function: the platform
// validates the bearer token (API) or its session cookie (the console in a browser) and hands the app
// X-MS-CLIENT-PRINCIPAL (and sets WEBSITE_AUTH_ENABLED=True, without which the app refuses every operator request).
// Which app role a route needs is checked by the app (RequiresRole), not here.
//
// Console vs API (issue 17; docs/console.md "Signing in"). authsettingsV2 has ONE unauthenticatedClientAction for the
// whole app (RedirectToLoginPage | AllowAnonymous | Return401 | Return403: the UnauthenticatedClientActionV2 values in
// the Microsoft.Web REST/SDK reference), and globalValidation.excludedPaths only lists "paths for which unauthenticated
// flow would not be redirected to the login page" (GlobalValidation reference), i.e. paths let through
// unauthenticated. MicrosoftDocs (app-service/overview-authentication-authorization, "Authorization behavior") says
// RedirectToLoginPage redirects all anonymous requests to /.auth/login/<provider> (401 only for native mobile
// clients); we found no Microsoft documentation that it answers script requests (X-Requested-With) with 401. So a
// redirect for /console and a 401 for /api/* cannot both be set here: RedirectToLoginPage would answer API callers
// without a token with a 302 to a login page, and excluding /api/* or /console/* would take those paths out of
// Easy Auth's hands. We keep the safer Return401 for every path, exclude none, and the console is entered through
// Easy Auth's own sign-in endpoint (output consoleSignInUrl: /.auth/login/aad?post_login_redirect_uri=/console); the
// page shows that link whenever the API answers 401 (e.g. the session expired).
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: !empty(operatorAppClientId)
        registration: {
          clientId: operatorAppClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${operatorTenantId}/v2.0'
        }
        validation: {
          // v2 access tokens carry the client id as audience, v1 tokens the application ID URI.
          allowedAudiences: [
            operatorAppClientId
            'api://${operatorAppClientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

// No FTP and no basic-auth (publishing profile) credentials: deployments authenticate with Entra ID.
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
// The operator console's sign-in: Easy Auth's login endpoint, back to /console after (see the authSettings comment).
output consoleSignInUrl string = 'https://${app.properties.defaultHostName}/.auth/login/aad?post_login_redirect_uri=/console'
output id string = app.id
