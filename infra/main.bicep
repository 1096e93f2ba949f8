// unregister-responder: everything in one subscription-scoped deployment.
//   az deployment sub create -l <region> -f infra/main.bicep -p infra/main.bicepparam
// or `azd up` (azure.yaml). Stage 1 (this file, deployEventSubscriptions=false) creates the app, its
// identity, storage, findings topic, the per-subscription system topics and the least-privilege role.
// Stage 2 (infra/events.bicep, run by the azd postdeploy hook) adds the event subscriptions, because
// Event Grid validates an AzureFunction destination and fails with "Destination endpoint not found"
// until the function code is deployed (reference §7a, Azure/bicep#11656).
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Name of the environment (azd env name); used in resource names and tags.')
param environmentName string

@description('Region of the resource group, the function and its storage.')
param location string

@description('Subscriptions to watch. Each gets its own Microsoft.Resources.Subscriptions system topic; all deliver to the one function (the operation key dedups).')
param watchedSubscriptionIds array = [
  subscription().subscriptionId
]

@allowed([
  'plan'
  'flag'
  'revert'
])
@description('flag: review and report only (start here). revert: also carry out the actions policy allows.')
param mode string = 'flag'

@description('Let the identity re-create deleted role assignments (RA-PROTECTED-REMOVED restore). Adds roleAssignments/write to the custom role.')
param enableRestore bool = false

@description('Comma-separated object ids never acted on (break-glass accounts).')
param protectedPrincipalIds string = ''

@description('Grant Directory.Read.All and Application.Read.All to the identity through the Microsoft Graph Bicep extension. Needs a deployer who can grant app roles (Privileged Role Administrator); otherwise grant them with the az CLI (infra/README.md).')
param grantGraphPermissions bool = false

@description('Deploy the event subscriptions in this run. Leave false on the first deployment: the function code must exist first.')
param deployEventSubscriptions bool = false

@description('Resource group created in every watched subscription to hold its system topic.')
param eventsResourceGroupName string = 'rg-${environmentName}-events'

var tags = {
  'azd-env-name': environmentName
  app: 'unregister-responder'
}
var functionName = 'unregisterResponder'
var deadLetterContainerName = 'eventgrid-deadletter'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module app 'modules/app.bicep' = {
  name: 'responder-app'
  scope: rg
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    mode: mode
    watchedSubscriptionIds: join(watchedSubscriptionIds, ',')
    protectedPrincipalIds: protectedPrincipalIds
    deadLetterContainerName: deadLetterContainerName
  }
}

// The least-privilege custom role, defined once and assignable in every watched subscription.
// Why each action (infra/README.md "Permissions"):
//   roleAssignments/read, roleDefinitions/read: review who holds what around the event.
//   roleAssignmentScheduleInstances/read: tell PIM activations from permanent grants (and never classic-delete
//     a PIM-managed assignment); without it reviews go on without PIM facts.
//   roleAssignments/delete: revert risky grants (only acted on in revert mode, behind the guard rails).
//   subscriptions/providers/read: check a namespace's registration state.
//   */register/action: re-register an unregistered provider. ARM has one register action per namespace
//     (Microsoft.Security/register/action, ...) and no umbrella action, so a wildcard is needed; it
//     cannot unregister anything ("*/register/action" never matches ".../unregister/action").
//   Microsoft.Insights/eventtypes/*: read the activity log to verify the triggering operation.
//   roleAssignments/write: only with enableRestore, to re-create a deleted break-glass assignment.
var responderBaseActions = [
  'Microsoft.Authorization/roleAssignments/read'
  'Microsoft.Authorization/roleDefinitions/read'
  'Microsoft.Authorization/roleAssignmentScheduleInstances/read'
  'Microsoft.Authorization/roleAssignments/delete'
  'Microsoft.Resources/subscriptions/providers/read'
  '*/register/action'
  'Microsoft.Insights/eventtypes/*'
]
var responderRestoreActions = [
  'Microsoft.Authorization/roleAssignments/write'
]

resource responderRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, environmentName, 'unregister-responder-role')
  properties: {
    roleName: 'Unregister Responder (${environmentName})'
    description: 'Least privilege for unregister-responder: read role assignments, PIM schedule instances, definitions, providers and the activity log; delete role assignments; re-register providers.'
    type: 'CustomRole'
    permissions: [
      {
        actions: concat(responderBaseActions, enableRestore ? responderRestoreActions : [])
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    // ARM wants the definition's own subscription among its assignable scopes; it is never assigned there
    // unless that subscription is also watched.
    assignableScopes: union([subscription().id], map(watchedSubscriptionIds, id => '/subscriptions/${id}'))
  }
}

module watched 'modules/watched-subscription.bicep' = [
  for id in watchedSubscriptionIds: {
    name: 'responder-watch-${uniqueString(id, environmentName)}'
    scope: subscription(id)
    params: {
      location: location
      tags: tags
      eventsResourceGroupName: eventsResourceGroupName
      identityPrincipalId: app.outputs.identityPrincipalId
      identityResourceId: app.outputs.identityResourceId
      responderRoleDefinitionGuid: responderRole.name
    }
  }
]

module graph 'modules/graph-permissions.bicep' = if (grantGraphPermissions) {
  name: 'responder-graph-permissions'
  scope: rg
  params: {
    principalId: app.outputs.identityPrincipalId
  }
}

module events 'events.bicep' = if (deployEventSubscriptions) {
  name: 'responder-event-subscriptions'
  params: {
    watchedSubscriptionIds: watchedSubscriptionIds
    eventsResourceGroupName: eventsResourceGroupName
    functionAppId: app.outputs.functionAppId
    functionName: functionName
    identityResourceId: app.outputs.identityResourceId
    deadLetterStorageId: app.outputs.storageAccountId
    deadLetterContainerName: deadLetterContainerName
  }
  dependsOn: [
    watched
  ]
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output FUNCTION_APP_NAME string = app.outputs.functionAppName
output FUNCTION_APP_ID string = app.outputs.functionAppId
output FUNCTION_NAME string = functionName
output IDENTITY_PRINCIPAL_ID string = app.outputs.identityPrincipalId
output IDENTITY_CLIENT_ID string = app.outputs.identityClientId
output IDENTITY_RESOURCE_ID string = app.outputs.identityResourceId
output STORAGE_ACCOUNT_ID string = app.outputs.storageAccountId
output DEAD_LETTER_CONTAINER string = deadLetterContainerName
output FINDINGS_TOPIC_ENDPOINT string = app.outputs.findingsTopicEndpoint
output EVENTS_RESOURCE_GROUP string = eventsResourceGroupName
output WATCHED_SUBSCRIPTION_IDS string = join(watchedSubscriptionIds, ',')
