// The responder's own resources, in one resource group: identity, storage (host, deployment package,
// dead letters, audit tables), monitoring, the findings topic, the Flex Consumption plan and app.
// Storage and the topic accept Entra identities only (no shared keys, no local auth).
param environmentName string
param location string
param tags object
param mode string
@description('Comma-separated subscription ids (app setting WATCHED_SUBSCRIPTION_IDS).')
param watchedSubscriptionIds string
param protectedPrincipalIds string
param deadLetterContainerName string

@description('Prefix of the audit table names (app setting STORE_TABLE_PREFIX).')
param tablePrefix string = 'responder'

// The store's tables (lib/store TABLE_SUFFIXES), created here so they exist before the first event.
var tableSuffixes = [
  'Incidents'
  'Actions'
  'Journal'
  'Breaker'
  'Poison'
]

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var functionName = 'unregisterResponder'
var deploymentContainerName = 'app-package'

// Built-in role ids (data-plane roles only; nothing here can change RBAC).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
var eventGridDataSender = 'd5a91429-5739-47e2-a06b-3470a27159e7'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${environmentName}-${token}'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('st${replace(toLower(environmentName), '-', '')}${token}', 24)
  location: location
  tags: tags
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deadLetterContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for suffix in tableSuffixes: {
    parent: tableService
    name: '${tablePrefix}${suffix}'
  }
]

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${environmentName}-${token}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${environmentName}-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

// Findings go out as CloudEvents; only Entra identities may publish (local auth disabled).
resource findingsTopic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: 'evgt-findings-${environmentName}-${token}'
  location: location
  tags: tags
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${environmentName}-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${environmentName}-${token}'
  location: location
  tags: union(tags, {
    'azd-service-name': 'responder'
  })
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
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identity.properties.clientId};Authorization=AAD'
        }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'AZURE_TENANT_ID', value: tenant().tenantId }
        { name: 'RESPONDER_PRINCIPAL_ID', value: identity.properties.principalId }
        { name: 'MODE', value: mode }
        { name: 'WATCHED_SUBSCRIPTION_IDS', value: watchedSubscriptionIds }
        { name: 'PROTECTED_PRINCIPAL_IDS', value: protectedPrincipalIds }
        { name: 'STORE_TABLE_ENDPOINT', value: storage.properties.primaryEndpoints.table }
        { name: 'STORE_TABLE_PREFIX', value: tablePrefix }
        { name: 'FINDINGS_TOPIC_ENDPOINT', value: findingsTopic.properties.endpoint }
      ]
    }
  }
}

// Basic (publishing) credentials off: deployments go through Entra only.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

// Data-plane roles for the identity, each on the one resource that needs it.
// Blob Data Owner: the host's AzureWebJobsStorage (leases, keys), the deployment package, dead letters.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Table Data Contributor: the audit store (incidents, actions, journal, breaker, poison).
resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Metrics Publisher: Entra-authenticated telemetry (App Insights local auth is disabled).
resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// EventGrid Data Sender: publish findings to this one topic.
resource findingsSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(findingsTopic.id, identity.id, eventGridDataSender)
  scope: findingsTopic
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', eventGridDataSender)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output functionAppId string = functionApp.id
output functionAppName string = functionApp.name
output functionName string = functionName
output identityPrincipalId string = identity.properties.principalId
output identityClientId string = identity.properties.clientId
output identityResourceId string = identity.id
output storageAccountId string = storage.id
output findingsTopicEndpoint string = findingsTopic.properties.endpoint
