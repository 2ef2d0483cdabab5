// RoleSync infrastructure: a new resource group holding the Flex Consumption function app, its
// user-assigned identity, storage, Service Bus, Key Vault, monitoring and alerts. Every connection is
// identity-based; no key, SAS or secret is created or passed to the app. See docs/deployment.md.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd: AZURE_ENV_NAME). Names the resource group and seeds the resource names.')
param environmentName string

@minLength(1)
@description('Azure region of all resources; it must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Optional object id of the deploying user (azd: AZURE_PRINCIPAL_ID). It gets Key Vault Secrets Officer on the vault (to set the Clerk secret) and Service Bus Data Sender on the queue (to send a test message). Empty: no role for anyone but the app.')
param principalId string = ''

@description('Client id of the operator API\'s Entra ID app registration (azd: OPERATOR_APP_CLIENT_ID; see docs/deployment.md). Empty: App Service Authentication is on without a provider, so every HTTP call is answered 401 until it is set.')
param operatorAppClientId string = ''

@description('Entra ID tenant of the operator API\'s app registration; default: the deployment\'s tenant.')
param operatorTenantId string = tenant().tenantId

@description('Service Bus tier. Premium adds isolation and larger messages at a fixed hourly price.')
@allowed([
  'Standard'
  'Premium'
])
param serviceBusSku string = 'Standard'

@description('Name of the role-changes queue.')
param queueName string = 'role-changes'

@description('Duplicate detection window of the queue (ISO 8601, 20 seconds to 7 days): a message whose MessageId was seen within it is dropped.')
param duplicateDetectionWindow string = 'P1D'

@description('Deliveries before the broker dead-letters a message.')
@minValue(1)
@maxValue(2000)
param maxDeliveryCount int = 10

@description('Peek-lock duration of the queue (ISO 8601, at most PT5M).')
param lockDuration string = 'PT1M'

@description('Default time to live of a message (ISO 8601); an expired message is dead-lettered.')
param defaultMessageTimeToLive string = 'P14D'

@description('Name of the Key Vault secret that holds the Clerk secret key.')
param clerkSecretName string = 'clerk-secret-key'

@description('Optional Clerk secret key. Empty (the default): the secret is not created, set it with az keyvault secret set.')
@secure()
param clerkSecretKey string = ''

@description('Name of the ledger table.')
param ledgerTableName string = 'RoleSyncLedger'

@description('When the Reconcile function compares Clerk with the ledger: a 6-field NCRONTAB expression (second minute hour day month day-of-week, UTC). Default: every 15 minutes.')
param reconcileSchedule string = '0 */15 * * * *'

@description('What the Reconcile function does with a membership whose Clerk role differs from its desired role: Repair (put it back) or Report (only count and log it).')
@allowed([
  'Repair'
  'Report'
])
param reconcileMode string = 'Repair'

@description('The most instances the function app scales out to (Flex Consumption maximumInstanceCount) and the number of hosts RoleSync splits its Clerk budget across (RoleSync__MaxInstances): each host gets clerkRequestsPer10Seconds ÷ maxInstances. Default 2: at 500 / 10 s each host has 25 requests/s, which its 8 concurrent messages (host.json maxConcurrentCalls) fill while Clerk answers within 320 ms (8 ÷ 0.32 s); more hosts only split the same budget thinner. See docs/deployment.md.')
@minValue(1)
@maxValue(1000)
param maxInstances int = 2

@description('RoleSync\'s share of the Clerk instance\'s rate limit for the whole deployment, in requests per 10 s (Clerk__RequestsPer10Seconds). 0: half of Clerk\'s limit for the key (500 for sk_live_, 50 for sk_test_), leaving the rest to the customer\'s own app. At most 1000 (100 %).')
@minValue(0)
@maxValue(1000)
param clerkRequestsPer10Seconds int = 0

@description('Memory of each function app instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Resource id of an existing action group that the alerts notify. Empty: none.')
param alertActionGroupId string = ''

@description('E-mail address that the alerts notify through a new action group. Empty: none.')
param alertEmailAddress string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'rolesync'
}
var deploymentContainerName = 'deploymentpackage'

// Names are computed here, not read from module outputs, so that they are known before deployment and
// What-If can predict every resource (modules that use them depend on their creators explicitly).
var names = {
  identity: 'id-rolesync-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  serviceBus: 'sb-${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-rolesync-${resourceToken}'
  alerts: 'rolesync-${resourceToken}'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    appIdentityName: names.identity
  }
  dependsOn: [
    identity
  ]
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    ledgerTableName: ledgerTableName
    appIdentityName: names.identity
  }
  dependsOn: [
    identity
  ]
}

module serviceBus 'app/servicebus.bicep' = {
  name: 'servicebus'
  scope: rg
  params: {
    name: names.serviceBus
    location: location
    tags: tags
    skuName: serviceBusSku
    queueName: queueName
    duplicateDetectionWindow: duplicateDetectionWindow
    maxDeliveryCount: maxDeliveryCount
    lockDuration: lockDuration
    defaultMessageTimeToLive: defaultMessageTimeToLive
    appIdentityName: names.identity
    deployerPrincipalId: principalId
  }
  dependsOn: [
    identity
  ]
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    secretName: clerkSecretName
    secretValue: clerkSecretKey
    appIdentityName: names.identity
    deployerPrincipalId: principalId
  }
  dependsOn: [
    identity
  ]
}

module function 'app/function.bicep' = {
  name: 'function'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    appTags: union(tags, { 'azd-service-name': 'rolesync' })
    identityName: names.identity
    storageAccountName: names.storage
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: names.applicationInsights
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    queueName: serviceBus.outputs.queueName
    maxDeliveryCount: maxDeliveryCount
    keyVaultUri: keyVault.outputs.uri
    clerkSecretName: clerkSecretName
    ledgerTableName: ledgerTableName
    reconcileSchedule: reconcileSchedule
    reconcileMode: reconcileMode
    maxInstances: maxInstances
    clerkRequestsPer10Seconds: clerkRequestsPer10Seconds
    instanceMemoryMB: instanceMemoryMB
    operatorAppClientId: operatorAppClientId
    operatorTenantId: operatorTenantId
  }
  // Roles on storage and App Insights come first; the app is created with its settings.
  dependsOn: [
    identity
    storage
    monitoring
  ]
}

module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    namePrefix: names.alerts
    tags: tags
    serviceBusNamespaceId: serviceBus.outputs.namespaceId
    queueName: serviceBus.outputs.queueName
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    actionGroupId: alertActionGroupId
    alertEmailAddress: alertEmailAddress
  }
}

// azd stores every output in the environment (.azure/<env>/.env); docs/deployment.md uses them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = subscription().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = function.outputs.name
output REPLAY_API_BASE_URL string = 'https://${function.outputs.defaultHostName}/api/'
output CONSOLE_SIGN_IN_URL string = function.outputs.consoleSignInUrl
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output SERVICE_BUS_QUEUE_NAME string = serviceBus.outputs.queueName
output KEY_VAULT_NAME string = keyVault.outputs.name
output KEY_VAULT_URI string = keyVault.outputs.uri
output CLERK_SECRET_NAME string = clerkSecretName
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output LEDGER_TABLE_NAME string = storage.outputs.ledgerTableName
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
