// Alerts that make failures visible: any message in the role-changes queue's dead-letter sub-queue,
// any failed function invocation, and RoleSync in quarantine. Both notify an existing action group (actionGroupId) and/or one this
// module creates for an e-mail address; with neither, the alerts still fire and show in the portal.

@description('Name prefix shared by the alert rules and the action group.')
param namePrefix string

@description('Tags applied to the alert rules.')
param tags object

@description('Resource id of the Service Bus namespace.')
param serviceBusNamespaceId string

@description('Name of the role-changes queue.')
param queueName string

@description('Resource id of the Application Insights component.')
param applicationInsightsId string

@description('Resource id of an existing action group to notify. Empty: none.')
param actionGroupId string = ''

@description('E-mail address for a new action group. Empty: no action group is created.')
param alertEmailAddress string = ''

resource emailGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmailAddress)) {
  name: '${namePrefix}-ag'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'rolesync'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmailAddress
        useCommonAlertSchema: true
      }
    ]
  }
}

var actions = concat(
  empty(actionGroupId) ? [] : [{ actionGroupId: actionGroupId }],
  empty(alertEmailAddress) ? [] : [{ actionGroupId: emailGroup.id }]
)

resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-dead-letters'
  location: 'global'
  tags: tags
  properties: {
    description: 'Messages are waiting in the dead-letter queue of ${queueName}: inspect and replay them.'
    severity: 2
    enabled: true
    scopes: [
      serviceBusNamespaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'DeadLetteredMessages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                queueName
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: actions
  }
}

resource functionFailuresAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-function-failures'
  location: 'global'
  tags: tags
  properties: {
    description: 'RoleSync function invocations failed.'
    severity: 2
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'FailedInvocations'
          metricNamespace: 'microsoft.insights/components'
          metricName: 'requests/failed'
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Count'
        }
      ]
    }
    actions: actions
  }
}

// RoleSync in quarantine (issue 16): a host reports the gauge rolesync.quarantine.active = 1 while the deployment's
// circuit is open (Clerk key rejected, Key Vault denying the secret, or Clerk failing most calls). OpenTelemetry sends
// it to Application Insights as a custom metric; the rule is created before the first value exists, hence
// skipMetricValidation. The log line QuarantineOpened (EventId 1600, Critical) says the same in traces.
resource quarantineAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-quarantine'
  location: 'global'
  tags: tags
  properties: {
    description: 'RoleSync is in quarantine: it stopped calling Clerk and holds every message (nothing is lost). GET /api/status says why and when the next probe is; see the README runbook "RoleSync is in quarantine".'
    severity: 1
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'QuarantineActive'
          metricNamespace: 'azure.applicationinsights'
          metricName: 'rolesync.quarantine.active'
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
          skipMetricValidation: true
        }
      ]
    }
    actions: actions
  }
}

output deadLetterAlertName string = deadLetterAlert.name
output functionFailuresAlertName string = functionFailuresAlert.name
output quarantineAlertName string = quarantineAlert.name
