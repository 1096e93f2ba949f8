// Stage 2: connect every watched subscription's system topic to the deployed function.
// Run after the code is deployed (azd postdeploy hook, infra/hooks/postdeploy.sh), or from main.bicep
// with deployEventSubscriptions=true on later deployments.
targetScope = 'subscription'

param watchedSubscriptionIds array
param eventsResourceGroupName string
param functionAppId string
param functionName string = 'unregisterResponder'
param identityResourceId string
param deadLetterStorageId string
param deadLetterContainerName string = 'eventgrid-deadletter'

module subscriptions 'modules/event-subscription.bicep' = [
  for id in watchedSubscriptionIds: {
    name: 'responder-events-${uniqueString(id, functionAppId)}'
    scope: resourceGroup(id, eventsResourceGroupName)
    params: {
      functionAppId: functionAppId
      functionName: functionName
      identityResourceId: identityResourceId
      deadLetterStorageId: deadLetterStorageId
      deadLetterContainerName: deadLetterContainerName
    }
  }
]
