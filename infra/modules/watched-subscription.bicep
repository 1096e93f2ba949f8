// One watched subscription: a resource group for its Event Grid system topic, the topic itself, and the
// responder's custom role assigned at the subscription. Deployed once per id in watchedSubscriptionIds.
targetScope = 'subscription'

param location string
param tags object
param eventsResourceGroupName string
param identityPrincipalId string
param identityResourceId string
@description('GUID of the "Unregister Responder" custom role (main.bicep).')
param responderRoleDefinitionGuid string

resource eventsGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: eventsResourceGroupName
  location: location
  tags: tags
}

// The custom role only: never Owner, User Access Administrator or Contributor.
resource responderAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, identityPrincipalId, responderRoleDefinitionGuid)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', responderRoleDefinitionGuid)
    principalId: identityPrincipalId
    // Avoids PrincipalNotFound while the new identity replicates.
    principalType: 'ServicePrincipal'
    description: 'unregister-responder: review and revert risky role assignments around provider unregisters'
  }
}

module topic 'system-topic.bicep' = {
  name: 'responder-system-topic'
  scope: eventsGroup
  params: {
    tags: tags
    identityResourceId: identityResourceId
  }
}

output systemTopicName string = topic.outputs.systemTopicName
